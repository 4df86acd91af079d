import Sim

// MARK: - One metric over simulated time

/// One declared metric per window of one replication: window `j` covers
/// `[j·width, (j+1)·width)` simulated seconds from the start of the run (the warm-up included,
/// so a chart shows it); the last window may be shorter.
public struct MetricSeries: Sendable, Equatable {
    /// The declaration's name (`api.latency`).
    public let name: String
    /// What each window carries, in order: `count`/`value` for counters, rates and fractions,
    /// `p50`, `p95`, `p99` for latencies, `mean` and `max` (time-weighted) for gauges.
    public let statistics: [String]
    /// Per window, one value per statistic (NaN: nothing to measure in that window).
    public var windows: [[Double]]

    /// The statistics a series of `kind` carries.
    public static func statistics(for kind: MetricDeclaration.Kind) -> [String] {
        switch kind {
        case .counter: ["count"]
        case .rate, .fraction: ["value"]
        case .latency: ["p50", "p95", "p99"]
        case .gauge: ["mean", "max"]
        }
    }
}

// MARK: - What a window is measured from

/// One window of one replication: the counters at its start and end, and what the world
/// recorded during it (``SeriesRecorder``).
struct WindowContext {
    let previous: MeasurementSnapshot
    let current: MeasurementSnapshot
    /// The window's length in seconds (the last one may be shorter).
    let seconds: Double
    let recorder: SeriesRecorder
    /// The window's sampled levels, utilisations and cost (``SeriesGauges``).
    let gauges: GaugeWindow

    /// A snapshot counter's increase over the window.
    func counted(_ counter: KeyPath<MeasurementSnapshot, Int>) -> Int {
        current[keyPath: counter] - previous[keyPath: counter]
    }

    /// `part / whole`; NaN when `whole` is 0.
    func fraction(_ part: Int, _ whole: Int) -> Double { whole == 0 ? .nan : Double(part) / Double(whole) }
}

// MARK: - Recording during a window

/// What the world records per window beyond its cumulative counters: answered API requests,
/// their server errors and latencies, and the users in session as a time-weighted level.
///
/// Memory is bounded in simulated duration: the latency histogram is one fixed-size
/// ``LatencyHistogram`` (about 270 KiB) cleared at every window boundary, never one per window;
/// each closed window keeps only its few numbers per metric (``MetricSeries/windows``), so a
/// 4-hour run at 60 s windows holds 240 rows of at most 3 doubles per series.
struct SeriesRecorder {
    let width: SimTime
    var answered = 0
    var serverErrors = 0
    var latency = LatencyHistogram()
    var users: TimeWeightedAverage

    init(width: SimTime) {
        self.width = width
        users = TimeWeightedAverage(start: 0)
    }

    /// An API request answered after `latency` nanoseconds, a server error or not.
    @inline(__always)
    mutating func answered(latency nanoseconds: SimTime, serverError: Bool) {
        answered &+= 1
        if serverError { serverErrors &+= 1 }
        latency.record(nanoseconds: UInt64(max(0, nanoseconds)))
    }

    /// Starts the next window at `time` (seconds), keeping the users' current level.
    mutating func startWindow(at time: Double) {
        answered = 0
        serverErrors = 0
        latency.reset()
        users.reset(at: time)
    }
}
