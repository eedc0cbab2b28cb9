import ArgumentParser

/// `handset-cloud`: a one-process local stand-in for the app's AWS backend.
@main
struct HandsetCloudCommand: AsyncParsableCommand {
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
