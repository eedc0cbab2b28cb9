import HandsetCloudStorage
/// The hosted pages' Mustache templates. Every `{{value}}` is HTML-escaped by swift-mustache (`<`, `>`, `&`, `"`,
/// `'`); the only unescaped insertion is `{{{body}}}` in the layout, which is the output of another template of
/// this file, already escaped. Values that go into URLs (`query`, `href`) are percent-encoded before they get here
/// and then escaped again as attribute text, which is what an `href` needs.
///
/// Plain forms that work without JavaScript; labels tied to their fields; errors announced (`role="alert"`) and
/// tied to the fields they concern; autocomplete hints so password managers and one-time-code autofill work.
enum HostedPageTemplates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "code": code, "select": select, "setup": setup,
        "newPassword": newPassword, "signUp": signUp, "confirmSignUp": confirmSignUp, "forgot": forgot,
        "reset": reset, "deviceCode": deviceCode, "deviceConfirm": deviceConfirm, "message": message,
    ]

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{title}} · {{poolName}}</title>
        <link rel="stylesheet" href="/hosted-ui/style.css">
        </head>
        <body>
        <main>
        <p class="brand"><span aria-hidden="true">▍</span>{{appName}}</p>
        <h1>{{title}}</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert" id="error">{{error}}</p>{{/error}}
        {{{body}}}
        </main>
        <footer class="status"><span>{{poolName}}</span><span>{{footer}}</span></footer>
        </body>
        </html>

        """

    static let login = """
        {{#poolUsers}}
        <form method="post" action="/login?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="username">Username or email</label>
        <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="{{username}}"{{#error}} aria-describedby="error" aria-invalid="true"{{/error}}>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required{{#error}} aria-describedby="error" aria-invalid="true"{{/error}}>
        <button type="submit">Sign in</button>
        </form>
        <p class="links"><a href="/forgotPassword?{{query}}">Forgot your password?</a> <a href="/signup?{{query}}">Create an account</a></p>
        {{/poolUsers}}
        {{#hasProviders}}
        <div class="providers" role="group" aria-label="Sign in with another account">
        {{#providers}}<a class="button secondary" href="{{href}}">Sign in with {{name}}</a>
        {{/providers}}
        </div>
        {{/hasProviders}}

        """

    static let code = """
        <p>{{prompt}}</p>
        <form method="post" action="/login/challenge?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="code">Code</label>
        <input id="code" name="code" class="code" inputmode="numeric" pattern="[0-9]*" maxlength="8" autocomplete="one-time-code" required autofocus{{#error}} aria-describedby="error" aria-invalid="true"{{/error}}>
        <button type="submit">Verify</button>
        </form>
        <p class="links"><a href="/login?{{query}}">Start again</a></p>

        """

    static let select = """
        <form method="post" action="/login/challenge?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <fieldset>
        <legend>How do you want to verify it's you?</legend>
        {{#choices}}<label class="choice"><input type="radio" name="answer" value="{{value}}" required> {{label}}</label>
        {{/choices}}
        </fieldset>
        <button type="submit">Continue</button>
        </form>
        <p class="links"><a href="/login?{{query}}">Start again</a></p>

        """

    static let setup = """
        <p>This pool asks for a second factor. Add it to your authenticator app with this key, then enter the code the app shows.</p>
        <p class="secret" aria-label="Authenticator key">{{secretGroups}}</p>
        <p class="dim"><a href="{{uri}}">Open in an authenticator app</a></p>
        <form method="post" action="/login/challenge?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="code">Code from the app</label>
        <input id="code" name="code" class="code" inputmode="numeric" pattern="[0-9]*" maxlength="8" autocomplete="one-time-code" required autofocus{{#error}} aria-describedby="error" aria-invalid="true"{{/error}}>
        <button type="submit">Verify</button>
        </form>

        """

    static let newPassword = """
        <p>Your password is temporary. Choose a new one.</p>
        <form method="post" action="/login/challenge?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="username" value="{{username}}" autocomplete="username">
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required autofocus aria-describedby="policy{{#error}} error{{/error}}">
        <label for="confirm">New password again</label>
        <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
        <p class="dim" id="policy">{{policy}}</p>
        <button type="submit">Set password</button>
        </form>

        """

    static let signUp = """
        <form method="post" action="/signup?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="{{username}}">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required value="{{email}}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="policy">
        <p class="dim" id="policy">{{policy}}</p>
        <button type="submit">Create account</button>
        </form>
        <p class="links"><a href="/login?{{query}}">I have an account</a></p>

        """

    static let confirmSignUp = """
        <p>We sent a code to {{destination}}. Enter it to confirm your account.</p>
        <form method="post" action="/confirmSignUp?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="username" value="{{username}}">
        <label for="code">Confirmation code</label>
        <input id="code" name="code" class="code" inputmode="numeric" pattern="[0-9]*" maxlength="8" autocomplete="one-time-code" required autofocus{{#error}} aria-describedby="error" aria-invalid="true"{{/error}}>
        <button type="submit">Confirm account</button>
        </form>

        """

    static let forgot = """
        <p>We will send a code to reset your password.</p>
        <form method="post" action="/forgotPassword?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="username">Username or email</label>
        <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="{{username}}">
        <button type="submit">Send code</button>
        </form>
        <p class="links"><a href="/login?{{query}}">Back to sign in</a></p>

        """

    static let reset = """
        <p>We sent a code to {{destination}}. Enter it and a new password.</p>
        <form method="post" action="/confirmForgotPassword?{{query}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="username" value="{{username}}" autocomplete="username">
        <label for="code">Reset code</label>
        <input id="code" name="code" class="code" inputmode="numeric" pattern="[0-9]*" maxlength="8" autocomplete="one-time-code" required autofocus>
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="policy">
        <p class="dim" id="policy">{{policy}}</p>
        <button type="submit">Reset password</button>
        </form>

        """

    static let deviceCode = """
        <p>Signed in as <strong>{{user}}</strong>. Enter the code your device shows.</p>
        <form method="post" action="/device">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="user_code">Device code</label>
        <input id="user_code" name="user_code" class="code" autocapitalize="characters" autocomplete="off" spellcheck="false" maxlength="9" required autofocus value="{{userCode}}"{{#error}} aria-describedby="error" aria-invalid="true"{{/error}}>
        <button type="submit">Continue</button>
        </form>

        """

    static let deviceConfirm = """
        <p>A device running <strong>{{clientName}}</strong> asks to sign in as <strong>{{user}}</strong>.</p>
        <p>Check that the code on the device is:</p>
        <p class="secret">{{userCode}}</p>
        <form method="post" action="/device/confirm" class="decision">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="user_code" value="{{userCode}}">
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
        </form>

        """

    static let message = """
        <p>{{text}}</p>
        {{#link}}<p class="links"><a href="{{href}}">{{label}}</a></p>{{/link}}

        """
}
