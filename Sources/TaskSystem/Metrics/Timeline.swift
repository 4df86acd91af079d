import Sim

// MARK: - What happened, and why

/// One decision or incident of a replication: when, which component, what changed (from → to)
/// and why, with the numbers behind it.
public struct TimelineEvent: Sendable, Equatable {
    /// The component that decided or suffered it.
    public enum Component: String, Sendable, CaseIterable {
        case autoscaler, api, database, jobs, faults, invariants
    }

    public let time: SimTime
    public let component: Component
    /// What happened: `scaling-decision`, `instance-launched`, `instance-in-service`,
    /// `instance-draining`, `instance-crashed`, `crash-detected`, the database's event kinds
    /// (its monitor's triggers as `monitor`), `worker-scaling`, `invariant-broken`.
    public let kind: String
    public let from: String
    public let to: String
    /// Why, in words and numbers.
    public let reason: String

    public init(time: SimTime, component: Component, kind: String, from: String = "", to: String = "",
                reason: String = "") {
        self.time = time
        self.component = component
        self.kind = kind
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// A replication's events in time order, bounded: past ``capacity`` entries further events are
/// only counted (``dropped``), so no run can exhaust memory through its timeline.
public struct Timeline: Sendable, Equatable {
    /// The most events kept.
    public let capacity: Int
    public private(set) var events: [TimelineEvent] = []
    /// Events not kept because the timeline was full.
    public private(set) var dropped = 0

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// Appends `event` (recorded at the current simulated time, so in time order), or counts it
    /// as dropped when full.
    public mutating func record(_ event: TimelineEvent) {
        if events.count < capacity { events.append(event) } else { dropped += 1 }
    }

    /// This timeline merged with `others` (each in time order) by time; at equal times this
    /// timeline's events come first, then the others' in their order: deterministic. The cap
    /// applies to the merge.
    public func merged(with others: [TimelineEvent]) -> Timeline {
        var result = Timeline(capacity: capacity)
        result.dropped = dropped
        var i = 0, j = 0
        while i < events.count || j < others.count {
            if j == others.count || (i < events.count && events[i].time <= others[j].time) {
                result.record(events[i])
                i += 1
            } else {
                result.record(others[j])
                j += 1
            }
        }
        return result
    }
}
