// FuzzFaultKind.swift — the table of fault kinds `simrun fuzz` draws: how each kind's keys are drawn
// within documented bounds, how they shrink, and how today's scenario keys spell them.

import Sim

// MARK: - FuzzFaultKind

/// One kind of fault the fuzzer can put in a plan: a row of ``all``.
///
/// Adding a kind of the `faults:` schema is one entry here: its name, how many entries a plan
/// may hold, how one entry's keys are drawn, how they shrink, and (only for the kinds today's
/// keys can express) a legacy spelling. A kind without a legacy spelling is written into the
/// scenario's `faults:` list.
public struct FuzzFaultKind: Sendable {
    /// The `kind` of its `faults:` entries.
    public let name: String
    /// The bounds its draws keep to, as `docs/fuzzing.md` states them.
    public let bounds: String
    /// The most entries of this kind one plan holds.
    public let maximumEntries: Int
    /// Draws entry number `index` (0-based) of this kind for `context`.
    let draw: @Sendable (_ context: FuzzContext, _ index: Int, _ random: inout RandomStream) -> FaultEntry
    /// How each key shrinks towards a milder fault, in the order the shrinker tries them.
    public let shrinking: [(key: String, step: ShrinkStep)]
    /// The `--param` settings (key path, YAML value) that express this kind's entries with
    /// today's keys; `nil`: the kind is written into the `faults:` list.
    let legacySpelling: (@Sendable (_ entries: [FaultEntry]) -> [(keyPath: String, value: String)])?
    /// The invariants this kind breaks by the seed's design, which a plan holding it declares in
    /// `accept:` (a declared, counted loss: `docs/fuzzing.md`).
    public var acceptedByDesign: [String] = []
    /// Whether the kind can be drawn for `context` (a replica fault needs a replica).
    var available: @Sendable (_ context: FuzzContext) -> Bool = { _ in true }

    /// Whether the kind can be drawn for `context`.
    func isAvailable(_ context: FuzzContext) -> Bool { available(context) }

    /// One shrinking step of a key's value.
    public enum ShrinkStep: Sendable, Equatable {
        /// Halve a duration, not below `seconds` (a shorter outage, a quicker restart).
        case halveDuration(toAtLeast: Int)
        /// Take one off a count, not below 1.
        case decrementCount
        /// Double a mean time between failures, not above `seconds` (rarer crashes).
        case doubleMTBF(toAtMost: Int)
        /// Halve a duration in milliseconds, not below `milliseconds` (a smaller latency spike).
        case halveMilliseconds(toAtLeast: Int)
        /// Halve a count, not below `count` (a smaller connection storm).
        case halveCount(toAtLeast: Int)

        /// `value` one step milder, or `nil` when it is already as mild as it goes.
        func apply(to value: FaultEntry.Value) -> FaultEntry.Value? {
            switch (self, value) {
            case (.halveDuration(let floor), .seconds(let seconds)) where seconds > floor:
                return .seconds(max(floor, seconds / 2))
            case (.decrementCount, .count(let count)) where count > 1:
                return .count(count - 1)
            case (.doubleMTBF(let ceiling), .seconds(let seconds)) where seconds < ceiling:
                return .seconds(min(ceiling, seconds * 2))
            case (.halveMilliseconds(let floor), .milliseconds(let milliseconds)) where milliseconds > floor:
                return .milliseconds(max(floor, milliseconds / 2))
            case (.halveCount(let floor), .count(let count)) where count > floor:
                return .count(max(floor, count / 2))
            default:
                return nil
            }
        }
    }

    /// The kind called `name` in ``all``.
    public static func named(_ name: String) -> FuzzFaultKind? { all.first { $0.name == name } }

    // MARK: The table

    /// Every kind the fuzzer draws, in the order a plan lists them (a new row goes at the end,
    /// so that the plans drawn for the rows before it stay the same).
    public static let all: [FuzzFaultKind] = [
        instanceCrash, workerCrash,
        redisOutage, redisFlush, zoneLoss, replicaStall, replicaLagSpike, replicaLoss, latencySpike, connectionStorm,
        primaryFailover,
    ]

    /// `instance-crash`: `at` (+ `count`) scripted crashes, or (first entry only) `mtbf`.
    static let instanceCrash = FuzzFaultKind(
        name: "instance-crash",
        bounds: "1–3 entries; the first is `{mtbf}` with probability ½, mtbf log-uniform in [duration/4, 4 × duration]; otherwise `{at, count}`, at a whole second inside [warmup, duration), count 1–3",
        maximumEntries: 3,
        draw: { context, index, random in
            if index == 0, random.coin() {
                let duration = Double(max(1, context.durationSeconds))
                let mtbf = random.logUniform(in: (duration / 4)...(duration * 4))
                return FaultEntry(kind: "instance-crash", keys: [("mtbf", .seconds(max(1, Int(mtbf.rounded()))))])
            }
            let at = random.integer(in: context.measuredSeconds)
            return FaultEntry(kind: "instance-crash", keys: [("at", .seconds(at)), ("count", .count(random.integer(in: 1...3)))])
        },
        shrinking: [("count", .decrementCount), ("mtbf", .doubleMTBF(toAtMost: 1_000_000))],
        legacySpelling: { entries in
            // api.failures: {mtbf, at: [...]}, every scripted crash `count` times, in time order.
            var times: [Int] = []
            var mtbf: Int?
            for entry in entries {
                if case .seconds(let seconds)? = entry["mtbf"] { mtbf = mtbf.map { min($0, seconds) } ?? seconds }
                if case .seconds(let at)? = entry["at"] {
                    let count = if case .count(let count)? = entry["count"] { count } else { 1 }
                    times += Array(repeating: at, count: count)
                }
            }
            var members: [String] = []
            if let mtbf { members.append("mtbf: \(mtbf)s") }
            if !times.isEmpty { members.append("at: [" + times.sorted().map { "\($0)s" }.joined(separator: ", ") + "]") }
            return [("api.failures", "{" + members.joined(separator: ", ") + "}")]
        })

    /// `worker-crash`: Celery worker processes crash, `{mtbf, restart}` (today's
    /// `jobs.worker_failures` holds one such entry).
    static let workerCrash = FuzzFaultKind(
        name: "worker-crash",
        bounds: "0–1 entry `{mtbf, restart}`: mtbf log-uniform in [duration/4, 4 × duration], restart 10–120 s",
        maximumEntries: 1,
        draw: { context, _, random in
            let duration = Double(max(1, context.durationSeconds))
            let mtbf = random.logUniform(in: (duration / 4)...(duration * 4))
            return FaultEntry(kind: "worker-crash", keys: [("mtbf", .seconds(max(1, Int(mtbf.rounded())))),
                                                           ("restart", .seconds(random.integer(in: 10...120)))])
        },
        shrinking: [("mtbf", .doubleMTBF(toAtMost: 1_000_000)), ("restart", .halveDuration(toAtLeast: 1))],
        legacySpelling: { entries in
            guard let entry = entries.first, let mtbf = entry["mtbf"] else { return [] }
            let restart = entry["restart"].map { ", restart: \($0)" } ?? ""
            return [("jobs.worker_failures", "{mtbf: \(mtbf)\(restart)}")]
        })
}

// MARK: - Rows written into the faults: list

extension FuzzFaultKind {
    /// A duration of `range` seconds from `at`, cut to end by the run's end.
    private static func lasting(_ range: ClosedRange<Int>, from at: Int, _ context: FuzzContext,
                                _ random: inout RandomStream) -> FaultEntry.Value {
        .seconds(context.lasting(random.integer(in: range), from: at))
    }

    /// `redis-outage`: every cache call and publication fails for a while; Redis returns empty.
    static let redisOutage = FuzzFaultKind(
        name: "redis-outage",
        bounds: "0–1 entry `{at, duration}`: duration 5–300 s, cut to end by the run's end",
        maximumEntries: 1,
        draw: { context, _, random in
            let at = random.integer(in: context.measuredSeconds)
            return FaultEntry(kind: "redis-outage", keys: [("at", .seconds(at)), ("duration", lasting(5...300, from: at, context, &random))])
        },
        shrinking: [("duration", .halveDuration(toAtLeast: 1))],
        legacySpelling: nil)

    /// `redis-flush`: every key dropped at once. The ConsistencyManager's `last_write` markers
    /// go with them, so a writer's re-read inside the window may be routed to a lagging replica:
    /// read-your-writes breaks by the seed's design, and the plan declares it.
    static let redisFlush = FuzzFaultKind(
        name: "redis-flush",
        bounds: "0–2 entries `{at}`; a plan with one declares `accept: [read-your-writes]`",
        maximumEntries: 2,
        draw: { context, _, random in
            FaultEntry(kind: "redis-flush", keys: [("at", .seconds(random.integer(in: context.measuredSeconds)))])
        },
        shrinking: [],
        legacySpelling: nil,
        acceptedByDesign: ["read-your-writes"])

    /// `zone-loss`: half the instances and the zone's replicas; back after `duration` or never.
    static let zoneLoss = FuzzFaultKind(
        name: "zone-loss",
        bounds: "0–1 entry `{at, zone}` (zone a or b) with, with probability ½, a `duration` of 60–900 s cut to end by the run's end",
        maximumEntries: 1,
        draw: { context, _, random in
            let at = random.integer(in: context.measuredSeconds)
            var keys: [(String, FaultEntry.Value)] = [("at", .seconds(at))]
            if random.coin() { keys.append(("duration", lasting(60...900, from: at, context, &random))) }
            keys.append(("zone", .name(random.coin() ? "a" : "b")))
            return FaultEntry(kind: "zone-loss", keys: keys)
        },
        shrinking: [("duration", .halveDuration(toAtLeast: 1))],
        legacySpelling: nil)

    /// `replica-stall`: one replica's applier stops for a while.
    static let replicaStall = FuzzFaultKind(
        name: "replica-stall",
        bounds: "0–2 entries `{at, duration, replica}` when the run starts with a replica: duration 5–120 s cut to end by the run's end, replica uniform over those at the start",
        maximumEntries: 2,
        draw: { context, _, random in
            let at = random.integer(in: context.measuredSeconds)
            return FaultEntry(kind: "replica-stall", keys: [
                ("at", .seconds(at)), ("duration", lasting(5...120, from: at, context, &random)),
                ("replica", .count(random.integer(in: 0...max(0, context.replicas - 1)))),
            ])
        },
        shrinking: [("duration", .halveDuration(toAtLeast: 1))],
        legacySpelling: nil,
        available: { $0.replicas > 0 })

    /// `replica-lag-spike`: one replica held `lag` behind for a while.
    static let replicaLagSpike = FuzzFaultKind(
        name: "replica-lag-spike",
        bounds: "0–2 entries `{at, duration, lag, replica}` when the run starts with a replica: duration 10–300 s cut to end by the run's end, lag 1–30 s, replica uniform",
        maximumEntries: 2,
        draw: { context, _, random in
            let at = random.integer(in: context.measuredSeconds)
            return FaultEntry(kind: "replica-lag-spike", keys: [
                ("at", .seconds(at)), ("duration", lasting(10...300, from: at, context, &random)),
                ("lag", .seconds(random.integer(in: 1...30))),
                ("replica", .count(random.integer(in: 0...max(0, context.replicas - 1)))),
            ])
        },
        shrinking: [("duration", .halveDuration(toAtLeast: 1)), ("lag", .halveDuration(toAtLeast: 1))],
        legacySpelling: nil,
        available: { $0.replicas > 0 })

    /// `replica-loss`: one replica gone for the rest of the run.
    static let replicaLoss = FuzzFaultKind(
        name: "replica-loss",
        bounds: "0–1 entry `{at, replica}` when the run starts with a replica: replica uniform",
        maximumEntries: 1,
        draw: { context, _, random in
            FaultEntry(kind: "replica-loss", keys: [
                ("at", .seconds(random.integer(in: context.measuredSeconds))),
                ("replica", .count(random.integer(in: 0...max(0, context.replicas - 1)))),
            ])
        },
        shrinking: [],
        legacySpelling: nil,
        available: { $0.replicas > 0 })

    /// `latency-spike`: every call on one link takes `extra` longer for a while.
    static let latencySpike = FuzzFaultKind(
        name: "latency-spike",
        bounds: "0–2 entries `{at, duration, link, extra}`: duration 10–300 s cut to end by the run's end, link uniform over api-database, api-cache, api-queue, extra log-uniform in [5 ms, 2 s] (whole ms)",
        maximumEntries: 2,
        draw: { context, _, random in
            let at = random.integer(in: context.measuredSeconds)
            let links = ["api-database", "api-cache", "api-queue"]
            return FaultEntry(kind: "latency-spike", keys: [
                ("at", .seconds(at)), ("duration", lasting(10...300, from: at, context, &random)),
                ("link", .name(links[random.uniformIndex(below: links.count)])),
                ("extra", .milliseconds(max(1, Int(random.logUniform(in: 5...2_000).rounded())))),
            ])
        },
        shrinking: [("duration", .halveDuration(toAtLeast: 1)), ("extra", .halveMilliseconds(toAtLeast: 1))],
        legacySpelling: nil)

    /// `connection-storm`: extra connections held on the primary for a while.
    static let connectionStorm = FuzzFaultKind(
        name: "connection-storm",
        bounds: "0–1 entry `{at, duration, connections}`: duration 10–300 s cut to end by the run's end, connections 50–5,000 (log-uniform)",
        maximumEntries: 1,
        draw: { context, _, random in
            let at = random.integer(in: context.measuredSeconds)
            return FaultEntry(kind: "connection-storm", keys: [
                ("at", .seconds(at)), ("duration", lasting(10...300, from: at, context, &random)),
                ("connections", .count(Int(random.logUniform(in: 50...5_000).rounded()))),
            ])
        },
        shrinking: [("duration", .halveDuration(toAtLeast: 1)), ("connections", .halveCount(toAtLeast: 1))],
        legacySpelling: nil)

    /// `primary-failover`: the primary fails; after `promotion` the most advanced replica takes
    /// over. The writes it had not applied are lost — by the seed's design (asynchronous
    /// replication), so the plan declares `no-acknowledged-write-lost`. It does not declare
    /// `read-your-writes`: that would hide the router defect the fuzzer exists to find in every
    /// run with a failover (`SwarmFuzzTests` stops finding it).
    static let primaryFailover = FuzzFaultKind(
        name: "primary-failover",
        bounds: "0–1 entry `{at, promotion}`: promotion 5–120 s; a plan with one declares `accept: [no-acknowledged-write-lost]`",
        maximumEntries: 1,
        draw: { context, _, random in
            FaultEntry(kind: "primary-failover", keys: [
                ("at", .seconds(random.integer(in: context.measuredSeconds))),
                ("promotion", .seconds(random.integer(in: 5...120))),
            ])
        },
        shrinking: [("promotion", .halveDuration(toAtLeast: 1))],
        legacySpelling: nil,
        acceptedByDesign: ["no-acknowledged-write-lost"])
}
