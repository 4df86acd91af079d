// FaultsReader+ReplicaAndLink.swift — the `faults:` entries that hold back or lose one replica
// (`replica-stall`, `replica-lag-spike`, `replica-loss`) and those that slow a link or crowd the
// primary (`latency-spike`, `connection-storm`).

import Sim
import TaskSystem

extension FaultsReader {
    /// The most connections a `connection-storm` may name (a bound on the work it costs; far
    /// above any instance class's `max_connections`).
    static let maxStormConnections = 1_000_000

    // MARK: Replica faults

    /// `replica-stall {at, duration, replica}`, `replica-lag-spike {at, duration, lag, replica}`,
    /// `replica-loss {at, replica}`: `replica` (default 0) must name a replica the database
    /// starts with; a duration must end by the run's end.
    static func readReplicaFault(_ map: YAMLMapping, kind: FaultKind, runLength: SimTime,
                                 replicasAtStart: Int) -> Fault? {
        var replica = 0
        guard let at = readStart(map, runLength: runLength),
              map.read("replica", into: &replica, { readReplica($0, replicasAtStart: replicasAtStart) }) else {
            return nil
        }
        if map.optional("replica") == nil, replicasAtStart == 0 {
            map.value.report("\(kind.rawValue) needs a replica, but the database starts with none "
                             + "(set database.replicas or a first tier with replicas)")
            return nil
        }
        switch kind {
        case .replicaStall:
            guard let duration = readLasting(map, "duration", from: at, runLength: runLength) else { return nil }
            return .replicaStall(at: at, duration: duration, replica: replica)
        case .replicaLagSpike:
            guard let duration = readLasting(map, "duration", from: at, runLength: runLength),
                  let lagValue = map.required("lag"), let lag = lagValue.positiveDuration() else { return nil }
            guard lag <= runLength else {
                lagValue.report("must be at most the run's duration (\(SimClock.seconds(runLength)) s), "
                                + "got \(SimClock.seconds(lag)) s")
                return nil
            }
            return .replicaLagSpike(at: at, duration: duration, lag: lag, replica: replica)
        default:
            return .replicaLoss(at: at, replica: replica)
        }
    }

    /// A replica index: an integer from 0 to the starting replicas − 1.
    private static func readReplica(_ value: YAMLValue, replicasAtStart: Int) -> Int? {
        guard let index = value.int(atLeast: 0, atMost: ScenarioBounds.replicas) else { return nil }
        guard index < replicasAtStart else {
            value.report("replica \(index) does not exist at the run's start: the database starts with "
                         + (replicasAtStart == 0 ? "no replica" : "\(replicasAtStart) replica(s), 0 to \(replicasAtStart - 1)"))
            return nil
        }
        return index
    }

    // MARK: Link and connection faults

    /// `latency-spike {at, duration, link, extra}`, `connection-storm {at, duration, connections}`.
    static func readLinkFault(_ map: YAMLMapping, kind: FaultKind, runLength: SimTime) -> Fault? {
        guard let at = readStart(map, runLength: runLength),
              let duration = readLasting(map, "duration", from: at, runLength: runLength) else { return nil }
        if kind == .connectionStorm {
            guard let connections = map.required("connections")?.int(atLeast: 1, atMost: maxStormConnections) else {
                return nil
            }
            return .connectionStorm(at: at, duration: duration, connections: connections)
        }
        guard let link = map.required("link")?.choice(FaultLink.self, what: "link"),
              let extraValue = map.required("extra"), let extra = extraValue.positiveDuration() else { return nil }
        guard extra <= runLength else {
            extraValue.report("must be at most the run's duration (\(SimClock.seconds(runLength)) s), "
                              + "got \(SimClock.seconds(extra)) s")
            return nil
        }
        return .latencySpike(at: at, duration: duration, link: link, extra: extra)
    }

    // MARK: Durations

    /// `key`: a positive duration ending by the run's end (`from + duration ≤ runLength`).
    static func readLasting(_ map: YAMLMapping, _ key: String, from start: SimTime, runLength: SimTime) -> SimTime? {
        guard let value = map.required(key), let duration = value.positiveDuration() else { return nil }
        guard duration <= runLength - start else {
            value.report("must end by the run's end: at most \(SimClock.seconds(runLength - start)) s after 'at' "
                         + "(duration \(SimClock.seconds(runLength)) s), got \(SimClock.seconds(duration)) s")
            return nil
        }
        return duration
    }
}
