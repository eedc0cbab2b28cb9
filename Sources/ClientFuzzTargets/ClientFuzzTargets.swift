import Foundation
import HandsetApp
import HandsetFuzzing
import HandsetModel
import HandsetRemote
import HandsetTUI
import HandsetWire

/// The client's parsers of outside input, as fuzz targets (`handset-fuzz`, `scripts/fuzz`): the files a person
/// or a download gives it, and whatever a server answers.
public enum ClientFuzzTargets {
    public static let all: [FuzzTarget] = [amplifyOutputs, configFile, themeFile, apiAnswers, webSignIn]

    /// `amplify_outputs.json`, read as `handset config import` and `--config` read it.
    static let amplifyOutputs = FuzzTarget("amplify-outputs") { data in
        guard let outputs = try? JSONDecoder().decode(AmplifyOutputs.self, from: data) else { return }
        _ = try? ClientConfiguration(outputs: outputs)
    }

    /// `config.toml`.
    static let configFile = FuzzTarget("config-toml") { data in
        _ = try? Settings.parse(String(decoding: data, as: UTF8.self))
    }

    /// A theme file, inheriting from the built-in themes.
    static let themeFile = FuzzTarget("theme") { data in
        let catalog = ThemeCatalog()
        _ = try? Theme.parse(toml: String(decoding: data, as: UTF8.self), resolve: catalog.theme(named:))
    }

    /// Answers of the API and of Cognito, decoded as the client decodes them; the first byte picks which.
    static let apiAnswers = FuzzTarget("api-answers") { data in
        guard let selector = data.first else { return }
        let body = Data(data.dropFirst())
        let decoder = JSONDecoder()
        switch selector % 8 {
        case 0:
            if let page = try? decoder.decode(RecordPage.self, from: body) {
                for item in page.items { _ = Record(json: item) }
            }
        case 1:
            if let page = try? decoder.decode(ChangeFeedPage.self, from: body) {
                for item in page.items { _ = Record(json: item) }
            }
        case 2: _ = try? decoder.decode(BatchResponse.self, from: body)
        case 3: _ = try? decoder.decode(InboxPage.self, from: body)
        case 4: _ = try? decoder.decode(AuthResponse.self, from: body)
        case 5: _ = try? decoder.decode(CognitoErrorBody.self, from: body)
        case 6:
            if let document = try? JSONValue.parse(body) { _ = try? APISchema(openAPIDocument: document) }
        default:
            if let claims = JWTClaims(token: String(decoding: body, as: UTF8.self)) {
                _ = claims.string("sub")
                _ = claims.date("exp")
            }
        }
    }

    /// What reaches `handset login --web` and `--device` from outside: the request line a browser (or anyone on the
    /// machine) sends the loopback listener, and the managed login's token and device answers. The first byte
    /// picks which.
    static let webSignIn = FuzzTarget("web-sign-in") { data in
        guard let selector = data.first else { return }
        let body = Array(data.dropFirst())
        switch selector % 3 {
        case 0:
            guard let request = LoopbackListener.request(fromHead: body) else { return }
            FuzzCheck.that(request.path.hasPrefix("/"), "a request path without a leading slash: \(request.path)")
            FuzzCheck.that(!request.path.contains("?"), "the query leaked into the path: \(request.path)")
            for name in ["state", "code", "error", "error_description"] { _ = request.parameter(name) }
        case 1:
            guard let answer = try? JSONValue.parse(Data(body)),
                let tokens = try? HostedUIClient.tokens(from: answer)
            else { return }
            FuzzCheck.that((1...86400).contains(tokens.expiresIn), "expires_in out of range: \(tokens.expiresIn)")
        default:
            guard let answer = try? JSONValue.parse(Data(body)),
                let device = try? HostedUIClient.deviceAuthorization(from: answer)
            else { return }
            FuzzCheck.that((1...60).contains(device.interval), "a poll interval out of range: \(device.interval)")
            FuzzCheck.that((1...86400).contains(device.expiresIn), "a lifetime out of range: \(device.expiresIn)")
        }
    }
}
