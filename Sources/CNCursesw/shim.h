#ifndef HANDSET_CNCURSESW_SHIM_H
#define HANDSET_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config flags, so the wide-character API is switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/ncurses.h>

// Swift 6 refuses curses' mutable globals and cannot import its function-like macros: read them here.
static inline WINDOW *hs_stdscr(void) { return stdscr; }
static inline int hs_lines(void) { return LINES; }
static inline int hs_cols(void) { return COLS; }
static inline int hs_colors(void) { return COLORS; }
static inline int hs_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t hs_color_pair(int n) { return COLOR_PAIR(n); }
static inline attr_t hs_a_bold(void) { return A_BOLD; }
static inline attr_t hs_a_dim(void) { return A_DIM; }
static inline attr_t hs_a_underline(void) { return A_UNDERLINE; }
static inline attr_t hs_a_reverse(void) { return A_REVERSE; }
static inline attr_t hs_a_normal(void) { return A_NORMAL; }

/// Defines colour pair `pair`; the extended call takes 24-bit colour numbers on direct-colour terminals.
static inline int hs_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

/// Reports clicks, double clicks and the wheel (buttons 4 and 5).
static inline void hs_enable_mouse(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(200);
}

static inline void hs_disable_mouse(void) { mousemask(0, NULL); }

/// After KEY_MOUSE: 1 click, 2 double click, 3 wheel up, 4 wheel down, 0 anything else; the cell in x, y.
static inline int hs_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_DOUBLE_CLICKED) return 2;
    if (event.bstate & BUTTON1_CLICKED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 3;
    if (event.bstate & BUTTON5_PRESSED) return 4;
    return 0;
}

/// Reads one key: returns OK for a character, KEY_CODE_YES for a function key, ERR for none.
static inline int hs_get_wch(wint_t *out) { return wget_wch(stdscr, out); }

/// Writes a UTF-8 string at (y, x) with the given attributes.
static inline void hs_put(int y, int x, const char *text, attr_t attributes) {
    attrset(attributes);
    mvaddstr(y, x, text);
}

#endif
