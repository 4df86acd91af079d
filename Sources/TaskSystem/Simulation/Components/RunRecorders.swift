import Sim

// MARK: - What every component records into

/// The recorders one replication's components share: the request counters, the current series
/// window and the timeline. One per world, held by reference by every component that records
/// into it; confined, like the components, to the replication's runtime (hence
/// `@unchecked Sendable`).
final class RunRecorders: @unchecked Sendable {
    /// Requests generated and answered, per endpoint and overall, and the CDN edge's own answers
    /// (`api.*`, `cdn.latency`, request conservation).
    var requests = RequestMetrics()
    /// The current series window's requests, latencies and users in session (``SeriesCollector``
    /// closes it).
    var series: SeriesRecorder
    /// Decisions and incidents in time order (scaling, instances, crashes), bounded.
    var timeline = Timeline()
    /// The series' sampled levels, utilisations and cost (`Metrics/SeriesGauges`).
    var gauges = SeriesGauges()

    /// Recorders at zero, with series windows of `seriesWindow`.
    init(seriesWindow: SimTime) {
        series = SeriesRecorder(width: seriesWindow)
    }
}
