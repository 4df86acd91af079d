import Sim

// MARK: - The busiest minute

/// The highest one-minute rates after the warm-up: requests the API answered and queries the
/// database served, each averaged over a whole minute. The seed's load targets (5,000 API
/// requests/s, 15,000 DB QPS at 10,000 concurrent users) are peaks, which a whole-run mean
/// over a ramp hides.
struct PeakRates: Sendable, Equatable {
    /// Requests answered per second in the busiest whole minute (0 before one has passed).
    var apiRequestsPerSecond = 0.0
    /// Database queries per second in the busiest whole minute.
    var databaseQueriesPerSecond = 0.0
}

/// Samples the answered-request and query counters every minute, keeping the highest
/// per-second rate of each over a whole minute (``PeakRates``). Confined to the replication's
/// runtime (hence `@unchecked Sendable`).
final class PeakRateMonitor: @unchecked Sendable {
    private let runtime: ProcessRuntime
    private let recorders: RunRecorders
    private let database: SimulatedDatabase
    /// The busiest minutes so far.
    private(set) var rates = PeakRates()

    init(runtime: ProcessRuntime, recorders: RunRecorders, database: SimulatedDatabase) {
        self.runtime = runtime
        self.recorders = recorders
        self.database = database
    }

    /// Samples every minute from now on (the end of the warm-up).
    func start() {
        let minute = 60 * SimClock.nanosecondsPerSecond
        runtime.spawn { [self] in
            var answered = recorders.requests.answered
            var queries = database.metrics.totalQueries
            while true {
                do {
                    try await runtime.sleep(for: minute)
                } catch {
                    return  // the run ended inside a minute: a partial minute is no peak
                }
                let nowAnswered = recorders.requests.answered, nowQueries = database.metrics.totalQueries
                rates.apiRequestsPerSecond = max(rates.apiRequestsPerSecond, Double(nowAnswered - answered) / 60)
                rates.databaseQueriesPerSecond = max(rates.databaseQueriesPerSecond,
                                                     Double(nowQueries - queries) / 60)
                answered = nowAnswered
                queries = nowQueries
            }
        }
    }
}
