// MetricPublication.swift — datapoints reaching the alarms some time after their period ends.
//
// CloudWatch receives a service's one-minute datapoint after the minute closes and evaluates
// alarms on what has arrived; the delay between the end of a minute and the alarm seeing it
// is not documented as a fixed figure. ``MetricPublication`` holds the datapoints a service has
// produced and hands the policies only those published `delay` after their period ended, with
// the capacity the latest of them was measured over.

import Sim

// MARK: - Publication

/// The datapoints produced so far, and which of them the alarms can see.
public struct MetricPublication: Sendable {
    /// How long after its period ends a datapoint reaches the alarms.
    public let delay: SimTime
    /// How many published datapoints to keep (the longest alarm range, at least).
    public let kept: Int
    /// Datapoints produced, with the end of their period and their measured capacity.
    private var pending: [(end: SimTime, datapoint: MetricDatapoint, measured: Double)] = []
    /// The datapoints published so far, oldest first.
    public private(set) var published: [MetricDatapoint] = []
    /// The capacity the latest published datapoint was measured over.
    public private(set) var measured: Double?

    /// Creates an empty publication with the given delay, keeping `kept` datapoints.
    public init(delay: SimTime, kept: Int) {
        precondition(delay >= 0 && kept >= 1, "MetricPublication: need delay ≥ 0 and kept ≥ 1")
        self.delay = delay
        self.kept = kept
    }

    /// Records the datapoint of the period ending at `end`, averaged over `measured` instances.
    public mutating func record(_ datapoint: MetricDatapoint, periodEnd end: SimTime, measured: Double) {
        pending.append((end, datapoint, measured))
    }

    /// Publishes every datapoint whose period ended at least ``delay`` before `now`.
    public mutating func publish(at now: SimTime) {
        while let first = pending.first, first.end + delay <= now {
            published.append(first.datapoint)
            measured = first.measured
            pending.removeFirst()
        }
        if published.count > kept { published.removeFirst(published.count - kept) }
    }
}
