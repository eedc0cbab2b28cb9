import HandsetCloudStorage
/// The hosted pages' style sheet, served from `/hosted-ui/style.css` (the pages' Content-Security-Policy allows
/// no inline style or script). It follows the terminal app's dark theme (`Themes/dark.toml`): cyan bold titles,
/// reverse-video focused fields, red bold errors, a blue status bar; light colours when the system asks.
enum HostedPageStyle {
    static let css = """
        :root {
          color-scheme: dark light;
          --background: #0f1419; --text: #e6e6e6; --dim: #a0aab4; --accent: #39c5d6; --on-accent: #000000;
          --error: #ff6b6b; --bar: #1f4e9c; --on-bar: #ffffff; --border: #3a4550;
        }
        @media (prefers-color-scheme: light) {
          :root {
            --background: #fbfbf8; --text: #1b1f23; --dim: #4f5a64; --accent: #006a78; --on-accent: #ffffff;
            --error: #b00020; --bar: #1f4e9c; --on-bar: #ffffff; --border: #b8c0c8;
          }
        }
        * { box-sizing: border-box; }
        html { font-family: ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace; }
        body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: var(--background);
          color: var(--text); line-height: 1.5; }
        main { width: min(32rem, 100% - 2rem); margin: 3rem auto; padding: 1.5rem; border: 1px solid var(--border); }
        .brand { margin: 0; color: var(--accent); font-weight: bold; }
        h1 { margin: .25rem 0 1rem; font-size: 1.3rem; color: var(--accent); }
        label, legend { display: block; margin-top: 1rem; font-weight: bold; }
        label.choice { font-weight: normal; margin-top: .5rem; }
        fieldset { border: 0; padding: 0; margin: 0; }
        input:not([type=radio]) { width: 100%; margin-top: .25rem; padding: .45rem .5rem; font: inherit;
          color: var(--text); background: transparent; border: 0; border-bottom: 2px solid var(--text); }
        input:not([type=radio]):focus { outline: none; color: var(--background); background: var(--text); }
        input[aria-invalid=true] { border-bottom-color: var(--error); }
        .code { font-size: 1.4rem; letter-spacing: .3em; }
        button, .button { display: inline-block; margin-top: 1.25rem; padding: .55rem 1rem; font: inherit;
          font-weight: bold; color: var(--on-accent); background: var(--accent); border: 2px solid var(--accent);
          text-decoration: none; cursor: pointer; }
        button.secondary, .button.secondary { color: var(--accent); background: transparent; }
        button:focus-visible, .button:focus-visible, a:focus-visible { outline: 3px solid var(--text);
          outline-offset: 2px; }
        .providers { margin-top: 1.5rem; padding-top: .5rem; border-top: 1px solid var(--border); }
        .providers .button { display: block; text-align: center; }
        .decision button { margin-right: .5rem; }
        a { color: var(--accent); }
        .links { display: flex; flex-wrap: wrap; gap: 1rem; margin-top: 1.25rem; }
        .error { color: var(--error); font-weight: bold; }
        .notice, .dim { color: var(--dim); }
        .secret { font-size: 1.3rem; letter-spacing: .15em; color: var(--accent); font-weight: bold;
          overflow-wrap: anywhere; }
        footer.status { margin-top: auto; display: flex; justify-content: space-between; gap: 1rem;
          padding: .2rem .75rem; color: var(--on-bar); background: var(--bar); }
        @media (prefers-reduced-motion: no-preference) { button, .button { transition: filter .1s; } }
        button:hover, .button:hover { filter: brightness(1.15); }

        """
}
