#ifndef HANDSET_CNCURSESW_SHIM_H
#define HANDSET_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config flags, so the wide-character API is switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/ncurses.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

// Swift 6 refuses curses' mutable globals and cannot import its function-like macros: read them here.
static inline WINDOW *hs_stdscr(void) { return stdscr; }
/// Makes the next refresh repaint the whole screen (after another program drew on it).
static inline void hs_repaint_all(void) { clearok(curscr, TRUE); }
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

/// Key codes of our own (above curses' KEY_MAX) for sequences terminfo may not know.
enum {
    HS_KEY_CONTROL_LEFT = 0x1001,
    HS_KEY_CONTROL_RIGHT = 0x1002,
    HS_KEY_PASTE_START = 0x1003,
    HS_KEY_PASTE_END = 0x1004,
};

/// Teaches curses every common encoding of Home, End, Ctrl-←/→ and the bracketed-paste markers, whatever TERM says:
/// tmux and xterm send Home as ESC[1~, ESC[H or ESC O H depending on their modes, rxvt as ESC[7~.
static inline void hs_define_keys(void) {
    static const char *home[] = {"\033[1~", "\033[7~", "\033[H", "\033OH"};
    static const char *end[] = {"\033[4~", "\033[8~", "\033[F", "\033OF"};
    static const char *left[] = {"\033[1;5D", "\033[5D", "\033Od", "\033[1;3D"};
    static const char *right[] = {"\033[1;5C", "\033[5C", "\033Oc", "\033[1;3C"};
    for (int i = 0; i < 4; i++) {
        define_key(home[i], KEY_HOME);
        define_key(end[i], KEY_END);
        define_key(left[i], HS_KEY_CONTROL_LEFT);
        define_key(right[i], HS_KEY_CONTROL_RIGHT);
    }
    define_key("\033[3~", KEY_DC);
    define_key("\033[200~", HS_KEY_PASTE_START);
    define_key("\033[201~", HS_KEY_PASTE_END);
}

/// Sets how long a read waits for input (0: not at all).
static inline void hs_set_read_timeout(int milliseconds) { wtimeout(stdscr, milliseconds); }

/// Moves the terminal's cursor to (y, x) and shows it, or hides it when y < 0.
static inline void hs_place_cursor(int y, int x) {
    if (y < 0) {
        curs_set(0);
    } else {
        wmove(stdscr, y, x);
        curs_set(1);
    }
}

// --- Giving the terminal back on any way out -------------------------------------------------------------------
//
// A crash (a Swift trap is SIGILL or SIGTRAP), an abort, or a kill must not leave the person's terminal in the
// alternate screen, with mouse reporting on and echo off. The handlers below only use async-signal-safe calls:
// they write the reset sequences, restore the saved terminal modes, put stderr back (printing what was written to
// it meanwhile, such as the crash message), then let the signal do what it would have done.

// (State lives in function-local statics: a header's file-level statics are not emitted for Swift.)
typedef struct {
    struct termios modes;
    int have_modes;
    int saved_stderr;
    int captured_stderr;
    struct sigaction previous[32];
} hs_guard_state;

static inline hs_guard_state *hs_guard(void) {
    static hs_guard_state state = {.have_modes = 0, .saved_stderr = -1, .captured_stderr = -1};
    return &state;
}

static const int hs_guarded_signals[] = {SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGTERM, SIGHUP, SIGQUIT, SIGINT};
#define HS_GUARDED_COUNT (sizeof hs_guarded_signals / sizeof hs_guarded_signals[0])

/// Leaves the alternate screen, turns off mouse reporting, bracketed paste and application keypad, shows the cursor.
static const char hs_reset_sequence[] =
    "\033[?2004l\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[?1015l\033[?1l\033>\033[0m\033[?25h\033[?1049l\r\n";

/// Puts stderr back and copies to it what was captured while the screen was ours.
static inline void hs_release_stderr(void) {
    if (hs_guard()->saved_stderr < 0) return;
    dup2(hs_guard()->saved_stderr, STDERR_FILENO);
    close(hs_guard()->saved_stderr);
    hs_guard()->saved_stderr = -1;
    if (hs_guard()->captured_stderr >= 0) {
        char buffer[4096];
        ssize_t count;
        lseek(hs_guard()->captured_stderr, 0, SEEK_SET);
        while ((count = read(hs_guard()->captured_stderr, buffer, sizeof buffer)) > 0) {
            ssize_t written = write(STDERR_FILENO, buffer, (size_t)count);
            (void)written;
        }
        close(hs_guard()->captured_stderr);
        hs_guard()->captured_stderr = -1;
    }
}

static inline void hs_restore_terminal_now(void) {
    ssize_t written = write(STDOUT_FILENO, hs_reset_sequence, sizeof hs_reset_sequence - 1);
    (void)written;
    if (hs_guard()->have_modes) tcsetattr(STDIN_FILENO, TCSAFLUSH, &hs_guard()->modes);
    hs_release_stderr();
}

static void hs_fatal_signal(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    hs_restore_terminal_now();
    // A fault (a Swift trap, a bad access) goes on to whatever handled it before, such as the Swift runtime's
    // backtracer, and then ends the process. A signal sent by someone (kill, raise, abort) ends it at once: a
    // handler that returns would let the process run on.
    int sent = info != NULL && info->si_code <= 0;
    if (signal_number > 0 && signal_number < 32) {
        if (sent) {
            signal(signal_number, SIG_DFL);
        } else {
            sigaction(signal_number, &hs_guard()->previous[signal_number], NULL);
        }
    }
    raise(signal_number);
}

/// Before curses starts: remembers the terminal's modes, sends stderr to a temporary file (anything written there
/// would garble the screen) and installs the handlers.
static inline void hs_guard_terminal(void) {
    hs_guard()->have_modes = tcgetattr(STDIN_FILENO, &hs_guard()->modes) == 0;
    FILE *capture = tmpfile();
    if (capture != NULL) {
        hs_guard()->captured_stderr = dup(fileno(capture));
        fclose(capture);
        hs_guard()->saved_stderr = dup(STDERR_FILENO);
        if (hs_guard()->captured_stderr >= 0 && hs_guard()->saved_stderr >= 0) {
            dup2(hs_guard()->captured_stderr, STDERR_FILENO);
        }
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = hs_fatal_signal;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    for (unsigned i = 0; i < HS_GUARDED_COUNT; i++) {
        sigaction(hs_guarded_signals[i], &action, &hs_guard()->previous[hs_guarded_signals[i]]);
    }
}

/// After curses has ended normally: the handlers go and stderr comes back.
static inline void hs_unguard_terminal(void) {
    for (unsigned i = 0; i < HS_GUARDED_COUNT; i++) {
        sigaction(hs_guarded_signals[i], &hs_guard()->previous[hs_guarded_signals[i]], NULL);
    }
    hs_release_stderr();
}

/// Hands the terminal to another program (`$EDITOR`) and takes it back: while it runs, Ctrl-C and Ctrl-\\ are the
/// other program's (this process ignores them, as system() does), and stderr is the terminal again.
static inline void hs_lend_terminal(void) {
    hs_unguard_terminal();
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
}

static inline void hs_take_back_terminal(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    hs_guard_terminal();
}

/// Stops this process as the terminal's Ctrl-Z would (SIGTSTP at its default action, whoever handles it otherwise),
/// and returns when the shell continues it (`fg`). A process group no shell controls (no job control) is not
/// stopped: the kernel discards SIGTSTP there, so the app comes straight back instead of hanging.
static inline void hs_stop_for_job_control(void) {
    struct sigaction defaults, previous;
    memset(&defaults, 0, sizeof defaults);
    defaults.sa_handler = SIG_DFL;
    sigemptyset(&defaults.sa_mask);
    sigaction(SIGTSTP, &defaults, &previous);
    sigset_t unblock, saved;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &unblock, &saved);
    raise(SIGTSTP);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    sigaction(SIGTSTP, &previous, NULL);
}

/// Runs `/bin/sh -c script name argument` on this terminal, in this process group (so it may read the terminal),
/// with Ctrl-C and Ctrl-\\ at their defaults, and waits for it. Returns its exit status, or -1 if it could not
/// start or was killed by a signal.
static inline int hs_run_on_terminal(const char *script, const char *name, const char *argument) {
    extern char **environ;
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    char *arguments[] = {"/bin/sh", "-c", (char *)script, (char *)name, (char *)argument, NULL};
    pid_t child;
    int failed = posix_spawn(&child, "/bin/sh", NULL, &attributes, arguments, environ);
    posix_spawnattr_destroy(&attributes);
    if (failed != 0) return -1;
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Drops what the terminal sent while another program had it (late answers to its queries, stray keys): input
/// that arrives within `quiet_ms` of the last is dropped too, up to `limit_ms` in all.
static inline void hs_drain_input(int quiet_ms, int limit_ms) {
    tcflush(STDIN_FILENO, TCIFLUSH);
    char buffer[256];
    for (int waited = 0; waited < limit_ms; waited += quiet_ms) {
        struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
        if (poll(&input, 1, quiet_ms) <= 0) break;
        if (read(STDIN_FILENO, buffer, sizeof buffer) <= 0) break;
    }
}

/// Writes a string straight to the terminal (escape sequences curses does not know about).
static inline void hs_write(const char *text) {
    ssize_t written = write(STDOUT_FILENO, text, strlen(text));
    (void)written;
}

#endif
