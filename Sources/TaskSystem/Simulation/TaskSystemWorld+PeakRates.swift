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

extension TaskSystemWorld {
    /// Samples the answered-request and query counters every minute from now on (the end of the
    /// warm-up), keeping the highest per-second rate of each over a whole minute.
    func startPeakRates() {
        let minute = 60 * SimClock.nanosecondsPerSecond
        runtime.spawn { [self] in
            var answered = metrics.answered
            var queries = database.metrics.totalQueries
            while true {
                do {
                    try await runtime.sleep(for: minute)
                } catch {
                    return  // the run ended inside a minute: a partial minute is no peak
                }
                let nowAnswered = metrics.answered, nowQueries = database.metrics.totalQueries
                peakRates.apiRequestsPerSecond = max(peakRates.apiRequestsPerSecond, Double(nowAnswered - answered) / 60)
                peakRates.databaseQueriesPerSecond = max(peakRates.databaseQueriesPerSecond,
                                                         Double(nowQueries - queries) / 60)
                answered = nowAnswered
                queries = nowQueries
            }
        }
    }
}
