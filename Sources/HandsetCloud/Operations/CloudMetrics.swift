import CoreMetrics
import Foundation
import HandsetCloudStorage
import Metrics
import Prometheus

/// The instance's metrics, in Prometheus' text format at `GET /metrics`.
///
/// Recorded through swift-metrics into a registry of this instance's own (not the process-wide `MetricsSystem`,
/// so that tests can build many clouds in one process); `handset-cloud serve` also bootstraps `MetricsSystem` with
/// `factory`, so that libraries' own metrics land in the same scrape.
///
/// Gauges whose value lives elsewhere (the database pool, waiting polls) are sampled when a scrape asks: a sampler
/// is a closure registered once, read at every scrape.
public final class CloudMetrics: @unchecked Sendable {
    /// The factory every metric of this instance is made with.
    public let factory: PrometheusMetricsFactory
    let registry: PrometheusCollectorRegistry
    /// The instance these metrics describe (a constant label of `handset_instance_info`).
    public let instanceId: String

    private let lock = NSLock()
    private var requestSeries: [RequestSeriesKey: RequestSeries] = [:]
    private var changeFeedSeries: [String: CoreMetrics.Counter] = [:]
    private var periodicRunSeries: [String: CoreMetrics.Counter] = [:]
    private var databasePoolSampler: (@Sendable () -> DatabasePoolSample?)?
    private var gaugeSamplers: [@Sendable (CloudMetrics) -> Void] = []

    private let inFlight: CoreMetrics.Meter
    private let signIns: [SignInOutcome: CoreMetrics.Counter]
    private let poolGauges: [String: CoreMetrics.Gauge]
    private let longPolls: CoreMetrics.Gauge
    private let requestLogDropped: CoreMetrics.Counter

    /// Latency buckets from a cached read (1 ms) to a held long-poll (30 s).
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init(instanceId: String) {
        self.instanceId = instanceId
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.registry = registry
        self.factory = factory
        inFlight = CoreMetrics.Meter(label: "handset_http_requests_in_flight", factory: factory)
        signIns = Dictionary(
            uniqueKeysWithValues: SignInOutcome.allCases.map {
                (
                    $0,
                    CoreMetrics.Counter(
                        label: "handset_sign_ins_total", dimensions: [("outcome", $0.rawValue)], factory: factory)
                )
            })
        poolGauges = Dictionary(
            uniqueKeysWithValues: ["in_use", "idle", "waiting", "size"].map {
                (
                    $0,
                    CoreMetrics.Gauge(
                        label: "handset_database_pool_connections", dimensions: [("state", $0)], factory: factory)
                )
            })
        longPolls = CoreMetrics.Gauge(label: "handset_inbox_long_polls_waiting", factory: factory)
        requestLogDropped = CoreMetrics.Counter(label: "handset_request_log_dropped_lines_total", factory: factory)
        CoreMetrics.Gauge(label: "handset_instance_info", dimensions: [("instance", instanceId)], factory: factory)
            .record(1)
        CoreMetrics.Gauge(label: "handset_process_start_time_seconds", factory: factory)
            .record(Date().timeIntervalSince1970.rounded(.down))
    }

    // MARK: Requests

    /// A request began (the gauge of requests in flight).
    func requestStarted() {
        inFlight.increment()
    }

    /// A request was answered: counted by method, route template, status and function, and timed.
    func requestFinished(method: String, route: String, status: Int, function: String, duration: Duration) {
        inFlight.decrement()
        let key = RequestSeriesKey(method: method, route: route, status: status, function: function)
        let series = lock.withLock {
            if let series = requestSeries[key] { return series }
            let labels = [("method", method), ("route", route), ("function", function)]
            let series = RequestSeries(
                count: CoreMetrics.Counter(
                    label: "handset_http_requests_total", dimensions: labels + [("status", String(status))],
                    factory: factory),
                duration: CoreMetrics.Timer(
                    label: "handset_http_request_duration_seconds", dimensions: labels, factory: factory))
            requestSeries[key] = series
            return series
        }
        series.count.increment()
        series.duration.recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    // MARK: Identity

    /// How a sign-in attempt ended.
    enum SignInOutcome: String, CaseIterable, Sendable {
        /// Tokens were issued (a refresh is not a sign-in).
        case succeeded
        /// A wrong password or code.
        case failed
        /// Refused without a check because a lockout runs.
        case lockedOut = "locked_out"
    }

    func signIn(_ outcome: SignInOutcome) {
        signIns[outcome]?.increment()
    }

    /// Request-log lines dropped because the log's buffer was full (`RequestLogWriter`).
    func requestLogLinesDropped(_ count: Int) {
        requestLogDropped.increment(by: count)
    }

    // MARK: Change feeds

    /// Changes a `_changes` read handed to a client, by collection: the feeds' throughput.
    func changesServed(_ count: Int, collection: String) {
        guard count > 0 else { return }
        let counter = lock.withLock {
            if let counter = changeFeedSeries[collection] { return counter }
            let counter = CoreMetrics.Counter(
                label: "handset_change_feed_changes_total", dimensions: [("collection", collection)], factory: factory)
            changeFeedSeries[collection] = counter
            return counter
        }
        counter.increment(by: count)
    }

    // MARK: Periodic work

    /// This instance won the run of a fleet-wide periodic task (`handset_periodic_runs_total`): summed over a
    /// fleet's instances, once per interval.
    func periodicRunWon(task: String) {
        let counter = lock.withLock {
            if let counter = periodicRunSeries[task] { return counter }
            let counter = CoreMetrics.Counter(
                label: "handset_periodic_runs_total", dimensions: [("task", task)], factory: factory)
            periodicRunSeries[task] = counter
            return counter
        }
        counter.increment()
    }

    // MARK: Sampled gauges

    /// Registers what the storage layer knows of its connection pool, read at every scrape.
    package func sampleDatabasePool(_ sampler: @escaping @Sendable () -> DatabasePoolSample?) {
        lock.withLock { databasePoolSampler = sampler }
    }

    /// Registers how many long-polls wait, read at every scrape.
    func sampleLongPolls(_ count: @escaping @Sendable () -> Int) {
        let sampler: @Sendable (CloudMetrics) -> Void = { metrics in metrics.longPolls.record(count()) }
        lock.withLock { gaugeSamplers.append(sampler) }
    }

    // MARK: Scrape

    /// The text of a scrape (Prometheus' text exposition format 0.0.4).
    public func render() -> String {
        let (poolSampler, samplers) = lock.withLock { (databasePoolSampler, gaugeSamplers) }
        if let sample = poolSampler?() {
            poolGauges["in_use"]?.record(sample.inUse)
            poolGauges["idle"]?.record(sample.idle)
            poolGauges["waiting"]?.record(sample.waiting)
            poolGauges["size"]?.record(sample.size)
        }
        for sampler in samplers { sampler(self) }
        return registry.emitToString()
    }

    /// The content type of `render()`'s text.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

private struct RequestSeriesKey: Hashable {
    var method: String
    var route: String
    var status: Int
    var function: String
}

private struct RequestSeries {
    let count: CoreMetrics.Counter
    let duration: CoreMetrics.Timer
}
