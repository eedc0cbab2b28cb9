import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage

/// `serve`'s options for the record API: which document, body limit, throttling.
struct APIOptions: ParsableArguments {
    @Option(
        name: .customLong("api"),
        help: ArgumentHelp(
            "An OpenAPI document (JSON) to serve instead of the demo team app; see Examples/.", valueName: "file"))
    var documentFile: String?

    @Option(name: .customLong("body-limit"), help: "Request bodies over this many bytes get 413.")
    var bodyLimit = APIConfiguration.defaultBodyLimit

    @Option(
        name: .customLong("throttle-rate"),
        help: "Requests per second the API's token bucket refills (API Gateway's default); 0 turns throttling off.")
    var throttleRate = ThrottleConfiguration().rate

    @Option(name: .customLong("throttle-burst"), help: "The token bucket's size (API Gateway's default).")
    var throttleBurst = ThrottleConfiguration().burst

    func validate() throws {
        guard bodyLimit > 0 else { throw ValidationError("--body-limit must be positive") }
        guard throttleRate >= 0, throttleRate.isFinite else { throw ValidationError("--throttle-rate must be >= 0") }
        guard throttleBurst >= 1 else { throw ValidationError("--throttle-burst must be at least 1") }
    }

    var configuration: APIConfiguration {
        APIConfiguration(
            documentFile: documentFile.map { URL(fileURLWithPath: $0) }, bodyLimit: bodyLimit,
            throttle: throttleRate > 0 ? ThrottleConfiguration(rate: throttleRate, burst: throttleBurst) : nil)
    }
}
