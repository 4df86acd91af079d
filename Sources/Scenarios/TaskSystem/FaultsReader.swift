// FaultsReader.swift — the `faults:` list and the `accept:` list to a FaultPlan and the
// accepted invariants; `api.failures` and `jobs.worker_failures` as spellings of fault entries.

import Sim
import TaskSystem

// MARK: - FaultsReader

/// Reads `faults:` (the agreed schema: each entry a mapping with `kind` and its keys) and
/// `accept:`. Every kind of the schema is injected; an unknown kind is an error naming the known ones.
enum FaultsReader {
    /// The most entries a `faults:` list may have (a bound on the processes and memory it costs).
    static let maxFaults = 1_000

    /// A `primary-failover`'s promotion time when the entry gives none: 30 s (RDS and Aurora
    /// document failovers of about 30 s; an assumption of this model, not a measurement).
    static let defaultPromotion: SimTime = 30 * SimClock.nanosecondsPerSecond

    /// The keys each kind allows (`kind` included).
    static func keys(of kind: FaultKind) -> [String] {
        switch kind {
        case .instanceCrash: ["kind", "at", "count", "mtbf"]
        case .workerCrash: ["kind", "at", "count", "mtbf", "queue", "restart"]
        case .redisOutage: ["kind", "at", "duration"]
        case .redisFlush: ["kind", "at"]
        case .zoneLoss: ["kind", "at", "duration", "zone"]
        case .replicaStall: ["kind", "at", "duration", "replica"]
        case .replicaLagSpike: ["kind", "at", "duration", "lag", "replica"]
        case .replicaLoss: ["kind", "at", "replica"]
        case .primaryFailover: ["kind", "at", "promotion"]
        case .latencySpike: ["kind", "at", "duration", "link", "extra"]
        case .connectionStorm: ["kind", "at", "duration", "connections"]
        }
    }

    // MARK: faults

    /// The entries of `faults:` after `existing` (the entries `api.failures` and
    /// `jobs.worker_failures` gave); problems are reported, and the entries read are kept.
    /// `runLength` is the run's duration: a fault must start before the run ends.
    /// `replicasAtStart`: the replicas the database starts with (a `replica` index names one).
    static func read(_ value: YAMLValue, after existing: [Fault], runLength: SimTime, replicasAtStart: Int = 0) -> [Fault] {
        guard let items = value.list() else { return existing }
        guard items.count <= maxFaults else {
            value.report("has \(items.count) entries; at most \(maxFaults) are allowed")
            return existing
        }
        var faults = existing
        for item in items {
            guard let fault = readFault(item, runLength: runLength, replicasAtStart: replicasAtStart,
                                        existing: faults) else { continue }
            faults.append(fault)
        }
        return faults
    }

    /// One entry, or `nil` once its problems were reported.
    private static func readFault(_ item: YAMLValue, runLength: SimTime, replicasAtStart: Int,
                                  existing: [Fault]) -> Fault? {
        guard var map = item.mapping(expected: "a mapping such as {kind: redis-outage, at: 10m, duration: 2m}"),
              let kind = map.required("kind")?.choice(FaultKind.self, what: "fault kind") else { return nil }
        map.rejectKeys(notIn: keys(of: kind))
        switch kind {
        case .instanceCrash:
            return readCrash(map, kind: kind, runLength: runLength, existing: existing,
                             scripted: { .instanceCrash(at: $0, count: $1) },
                             random: { mtbf in .randomInstanceCrashes(mtbf: mtbf) })
        case .workerCrash:
            return readWorkerCrash(map, runLength: runLength, existing: existing)
        case .redisOutage:
            guard let at = readStart(map, runLength: runLength),
                  let duration = map.required("duration")?.positiveDuration() else { return nil }
            return .redisOutage(at: at, duration: duration)
        case .redisFlush:
            guard let at = readStart(map, runLength: runLength) else { return nil }
            return .redisFlush(at: at)
        case .zoneLoss:
            var duration: SimTime?
            var zone = AvailabilityZone.b
            guard let at = readStart(map, runLength: runLength),
                  map.read("duration", into: &duration, { $0.positiveDuration() }),
                  map.read("zone", into: &zone, { $0.choice(AvailabilityZone.self, what: "availability zone") })
            else { return nil }
            return .zoneLoss(at: at, duration: duration, zone: zone)
        case .primaryFailover:
            var promotion = defaultPromotion
            guard let at = readStart(map, runLength: runLength),
                  map.read("promotion", into: &promotion, { $0.positiveDuration() }) else { return nil }
            // One failover at a time: a primary that is down cannot fail again.
            for case .primaryFailover(let other, let otherPromotion) in existing
            where at < SimClock.adding(otherPromotion, to: other) && other < SimClock.adding(promotion, to: at) {
                map.optional("at")?.report("overlaps the primary-failover at \(SimClock.seconds(other)) s (promotion "
                                           + "\(SimClock.seconds(otherPromotion)) s); failovers must not overlap")
                return nil
            }
            return .primaryFailover(at: at, promotion: promotion)
        case .replicaStall, .replicaLagSpike, .replicaLoss:
            return readReplicaFault(map, kind: kind, runLength: runLength, replicasAtStart: replicasAtStart)
        case .latencySpike, .connectionStorm:
            return readLinkFault(map, kind: kind, runLength: runLength)
        }
    }

    // MARK: Crashes

    /// `at` (+ `count`) or `mtbf`, exactly one of the two; at most one `mtbf` per kind.
    private static func readCrash(_ map: YAMLMapping, kind: FaultKind, runLength: SimTime, existing: [Fault],
                                  scripted: (SimTime, Int) -> Fault, random: (SimTime) -> Fault) -> Fault? {
        let atValue = map.optional("at"), mtbfValue = map.optional("mtbf")
        switch (atValue, mtbfValue) {
        case (nil, nil):
            map.value.report("\(kind.rawValue) needs 'at' (a time, with an optional 'count') or 'mtbf' (a mean time to crash)")
            return nil
        case (.some, .some(let mtbf)):
            mtbf.report("give either 'at' or 'mtbf', not both")
            return nil
        case (.some, nil):
            var count = 1
            guard let at = readStart(map, runLength: runLength),
                  map.read("count", into: &count, { $0.int(atLeast: 1, atMost: ScenarioBounds.instances) }) else { return nil }
            return scripted(at, count)
        case (nil, .some(let value)):
            if let count = map.optional("count") {
                count.report("'count' goes with 'at', not with 'mtbf'")
                return nil
            }
            guard let mtbf = value.positiveDuration() else { return nil }
            if existing.contains(where: { $0.kind == kind && $0.start == nil }) {
                value.report("\(kind.rawValue) already has an 'mtbf' (from an earlier entry "
                             + (kind == .instanceCrash ? "or api.failures" : "or jobs.worker_failures") + "); give one")
                return nil
            }
            return random(mtbf)
        }
    }

    /// `worker-crash`: `at` (+ `count`) or `mtbf`, with optional `queue` and `restart`.
    private static func readWorkerCrash(_ map: YAMLMapping, runLength: SimTime, existing: [Fault]) -> Fault? {
        var queue: JobQueueName?
        var restart = WorkerFailures(meanTimeBetweenFailures: 1).restart
        guard map.read("queue", into: &queue, { $0.choice(JobQueueName.self, what: "queue") }),
              map.read("restart", into: &restart, { $0.duration() }) else { return nil }
        return readCrash(map, kind: .workerCrash, runLength: runLength, existing: existing,
                         scripted: { at, count in .workerCrash(at: at, count: count, restart: restart, queue: queue) },
                         random: { mtbf in .randomWorkerCrashes(mtbf: mtbf, restart: restart, queue: queue) })
    }

    // MARK: Times

    /// `at`: required, a duration before the run's end.
    static func readStart(_ map: YAMLMapping, runLength: SimTime) -> SimTime? {
        guard let value = map.required("at"), let at = value.duration() else { return nil }
        guard at < runLength else {
            value.report("must be before the run ends (duration \(SimClock.seconds(runLength)) s), got \(SimClock.seconds(at)) s")
            return nil
        }
        return at
    }

    // MARK: Old spellings

    /// The entries `api.failures` gives: its `mtbf`, then one `instance-crash` per time of `at`.
    static func entries(of failures: InstanceFailures) -> [Fault] {
        (failures.meanTimeBetweenFailures.map { [Fault.randomInstanceCrashes(mtbf: $0)] } ?? [])
            + failures.at.map { Fault.instanceCrash(at: $0, count: 1) }
    }

    /// The entry `jobs.worker_failures` gives.
    static func entries(of failures: WorkerFailures?) -> [Fault] {
        failures.map { [Fault.randomWorkerCrashes(mtbf: $0.meanTimeBetweenFailures, restart: $0.restart, queue: $0.queue)] } ?? []
    }

    // MARK: accept

    /// `accept: [no-acknowledged-write-lost, …]`: invariant identifiers, each at most once.
    static func readAccepted(_ value: YAMLValue) -> [InvariantIdentifier] {
        guard let items = value.list() else { return [] }
        var accepted: [InvariantIdentifier] = []
        for item in items {
            guard let identifier = item.choice(InvariantIdentifier.self, what: "invariant") else { continue }
            if accepted.contains(identifier) {
                item.report("'\(identifier.rawValue)' is listed twice")
            } else {
                accepted.append(identifier)
            }
        }
        return accepted
    }
}
