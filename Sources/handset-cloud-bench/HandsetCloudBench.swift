import ArgumentParser

/// Benchmarks of the cloud, kept out of the `handset-cloud` product: the baselines the API's figures are compared
/// with (a bare Hummingbird route, the same reads and writes through the storage layer without HTTP) and the
/// sign-in load generator. `scripts/bench` runs them; they report, never assert.
@main
struct HandsetCloudBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handset-cloud-bench", abstract: "Cloud benchmarks and their baselines (reports, never asserts).",
        subcommands: [BareServer.self, StorageBench.self, SignInBench.self])
}
