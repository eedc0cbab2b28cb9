import CloudFuzzTargets
import HandsetFuzzing

/// `handset-cloud-fuzz`: the local cloud's fuzz targets (see `FuzzDriver`; `scripts/fuzz` builds and runs them).
@main
enum CloudFuzzMain {
    static func main() {
        FuzzDriver.main(targets: CloudFuzzTargets.all)
    }
}
