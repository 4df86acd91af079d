// FuzzParameter.swift — the table of scenario values `simrun fuzz` randomises, with their bounds.

import Foundation
import Sim

// MARK: - FuzzParameter

/// A scenario key the fuzzer may set in a run: a row of ``all``. In each run every parameter is
/// drawn with probability ½ (else the file's own value stays: swarm testing), within bounds that
/// keep the scenario valid and inside the contracts the invariants judge.
public struct FuzzParameter: Sendable {
    /// The key path it sets (`--param KEYPATH=VALUE`).
    public let keyPath: String
    /// The bounds, as `docs/fuzzing.md` states them.
    public let bounds: String
    /// The YAML value drawn for `context`, or `nil` when the scenario cannot take one.
    let draw: @Sendable (_ context: FuzzContext, _ random: inout RandomStream) -> String?

    // MARK: The table

    /// Every parameter, in the order a run draws and lists them.
    public static let all: [FuzzParameter] = [
        concurrentUsers, instances, loadBalancing, localCacheEntries, consistencyWindow, replicas, replicationLag,
    ]

    static let concurrentUsers = FuzzParameter(
        keyPath: "users.concurrent",
        bounds: "the file's `users.concurrent` × 2^u, u uniform in [−1, 1] (half to twice the load), at least 1; only when the file writes `users.concurrent`",
        draw: { context, random in
            guard let users = context.concurrentUsers else { return nil }
            let factor: Double = pow(2, random.uniform(in: -1..<1))
            return String(max(1, Int((Double(users) * factor).rounded())))
        })

    static let instances = FuzzParameter(
        keyPath: "api.instances",
        bounds: "with autoscaling, an integer in its [min, max]; without, 1 … max(2, 2 × the file's instances)",
        draw: { context, random in
            let range: ClosedRange<Int> = context.autoscalingRange ?? 1...max(2, 2 * context.instances)
            return String(random.integer(in: range))
        })

    static let loadBalancing = FuzzParameter(
        keyPath: "api.load_balancing",
        bounds: "`round-robin`, `least-connections` or `sticky`",
        draw: { _, random in
            let policies = ["round-robin", "least-connections", "sticky"]
            return policies[random.uniformIndex(below: policies.count)]
        })

    static let localCacheEntries = FuzzParameter(
        keyPath: "api.local_cache_entries",
        bounds: "an integer in 0 … 2,000 (0: no L1)",
        draw: { _, random in String(random.integer(in: 0...2_000)) })

    static let consistencyWindow = FuzzParameter(
        keyPath: "api.consistency_window",
        bounds: "5 … 30 s, whole seconds (at least the seed's 5 s, the window read-your-writes is judged against)",
        draw: { _, random in "\(random.integer(in: 5...30))s" })

    static let replicas = FuzzParameter(
        keyPath: "database.replicas",
        bounds: "0 … 3; not when the file writes `database.tiers`",
        draw: { context, random in context.databaseTiers ? nil : String(random.integer(in: 0...3)) })

    static let replicationLag = FuzzParameter(
        keyPath: "database.replication_lag",
        bounds: "lognormal, cv 1, mean log-uniform in [10 ms, 2 s]",
        draw: { _, random in
            let milliseconds = Int(random.logUniform(in: 10...2_000).rounded())
            return "{distribution: lognormal, mean: \(milliseconds)ms, cv: 1}"
        })
}
