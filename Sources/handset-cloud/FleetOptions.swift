import ArgumentParser
import Foundation
import HandsetCloud

/// `serve`'s options for running as one of several instances behind a load balancer.
struct FleetOptions: ParsableArguments {
    @Option(
        name: .customLong("instance-id"),
        help: "This instance's name in the request log, /healthz and /metrics (default: <hostname>-<random>).")
    var instanceId: String?

    @Option(
        name: .customLong("request-log"),
        help: ArgumentHelp(
            "Where the request log goes: stdout, or a file (default: <data-dir>/logs/requests.log).",
            valueName: "stdout|file"))
    var requestLog: String?

    @Option(
        name: .customLong("admin-credentials"),
        help: ArgumentHelp(
            "Access keys (the AWS CLI's credentials file format) whose SigV4 signatures admit admin operations off loopback.",
            valueName: "file"))
    var adminCredentials: String?

    @Option(
        name: .customLong("objects-dir"),
        help: ArgumentHelp(
            "Where object bytes live: a directory every instance shares (NFS, EFS) (default: <data-dir>/objects).",
            valueName: "directory"))
    var objectsDirectory: String?

    func validate() throws {
        if let instanceId, !InstanceID.isValid(instanceId) {
            throw ValidationError("--instance-id must be 1 to 64 letters, digits, '.', '-', '_' or ':'")
        }
        if let requestLog, requestLog.isEmpty { throw ValidationError("--request-log needs stdout or a file") }
    }

    func apply(to configuration: inout CloudConfiguration) throws {
        if let instanceId { configuration.instanceId = instanceId }
        if let requestLog { configuration.requestLog = RequestLogDestination(argument: requestLog) }
        if let objectsDirectory { configuration.objectsDirectory = URL(fileURLWithPath: objectsDirectory) }
        if let adminCredentials {
            configuration.adminCredentials = try AdminCredentials.load(from: URL(fileURLWithPath: adminCredentials))
        }
    }
}
