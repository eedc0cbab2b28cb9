import Foundation
import HandsetApp
import HandsetFuzzing
import HandsetModel
import HandsetTUI
import HandsetWire

/// The client's parsers of outside input, as fuzz targets (`handset-fuzz`, `scripts/fuzz`): the files a person
/// or a download gives it, and whatever a server answers.
public enum ClientFuzzTargets {
    public static let all: [FuzzTarget] = [amplifyOutputs, configFile, themeFile, apiAnswers]

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
}
