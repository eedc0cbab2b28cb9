import ArgumentParser
import Foundation
import HandsetWire

/// `handset-cloud`: a one-process local stand-in for the app's AWS backend.
@main
struct HandsetCloudCommand: AsyncParsableCommand {
    /// `handset-cloud mailbx` is named as no command, with the nearest one: the parser would call the word an
    /// unexpected argument of `serve` (the default command) and print serve's usage. Only a first word counts:
    /// serve's options come first and take values (`handset-cloud --port 8080`).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, !word.hasPrefix("-"),
            let message = CommandSuggestion.message(
                for: word, commands: configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"],
                program: "handset-cloud",
                synonyms: ["start": "serve", "run": "serve", "server": "serve", "mail": "mailbox"])
        {
            FileHandle.standardError.write(Data("handset-cloud: \(message)\n".utf8))
            exit(withError: ExitCode.validationFailure)
        }
        await Self.main(arguments)
    }

    static let configuration = CommandConfiguration(
        commandName: "handset-cloud",
        abstract: "A local stand-in for the Handset app's cloud: Cognito user pool, API Gateway + functions.",
        subcommands: [
            ServeCommand.self, MailboxCommand.self, LogsCommand.self,
            NotifyCommand.self, PublishCommand.self, ObjectsCommand.self, KeysCommand.self,
            CaptureCommand.self, SchemaCommand.self,
        ],
        defaultSubcommand: ServeCommand.self)
}
