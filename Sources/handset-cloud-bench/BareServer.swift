import ArgumentParser
import Foundation
import Hummingbird

/// `handset-cloud-bench bare`: the ceiling the record API is measured against, a Hummingbird 2 server with one route
/// (`GET /hello` → `hello`) and no middleware, on the same HTTP/1 channel the cloud uses. Prints
/// `handset-cloud-bench listening on <url>` once it accepts connections.
struct BareServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare", abstract: "Serve the bare Hummingbird baseline route GET /hello.")

    @Option(help: "Port to listen on (0 for any free one).") var port = 0

    func run() async throws {
        let router = Router()
        router.get("hello") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "hello")))
        }
        let app = Application(
            router: router, server: .http1(),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let line = "handset-cloud-bench listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            })
        try await app.runService()
    }
}
