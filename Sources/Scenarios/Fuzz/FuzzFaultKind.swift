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

    /// One shrinking step of a key's value.
    public enum ShrinkStep: Sendable, Equatable {
        /// Halve a duration, not below `seconds` (a shorter outage, a quicker restart).
        case halveDuration(toAtLeast: Int)
        /// Take one off a count, not below 1.
        case decrementCount
        /// Double a mean time between failures, not above `seconds` (rarer crashes).
        case doubleMTBF(toAtMost: Int)

        /// `value` one step milder, or `nil` when it is already as mild as it goes.
        func apply(to value: FaultEntry.Value) -> FaultEntry.Value? {
            switch (self, value) {
            case (.halveDuration(let floor), .seconds(let seconds)) where seconds > floor:
                return .seconds(max(floor, seconds / 2))
            case (.decrementCount, .count(let count)) where count > 1:
                return .count(count - 1)
            case (.doubleMTBF(let ceiling), .seconds(let seconds)) where seconds < ceiling:
                return .seconds(min(ceiling, seconds * 2))
            default:
                return nil
            }
        }
    }

    /// The kind called `name` in ``all``.
    public static func named(_ name: String) -> FuzzFaultKind? { all.first { $0.name == name } }

    // MARK: The table

    /// Every kind the fuzzer draws, in the order a plan lists them.
    ///
    /// Today: the two kinds the model runs (`api.failures`, `jobs.worker_failures`). The other
    /// kinds of the `faults:` schema (`zone-loss`, `replica-stall`, `redis-outage`, …) join as
    /// one entry each once the model runs them.
    public static let all: [FuzzFaultKind] = [instanceCrash, workerCrash]

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
