import ClientFuzzTargets
import HandsetFuzzing

/// `handset-fuzz`: the client's fuzz targets (see `FuzzDriver`; `scripts/fuzz` builds and runs them).
@main
enum ClientFuzzMain {
    static func main() {
        FuzzDriver.main(targets: ClientFuzzTargets.all)
    }
}
