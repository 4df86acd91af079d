// ResilienceReader.swift — the failure and connection-lifecycle keys: `api.failures`,
// `api.health_check`, the lifecycle keys of `api.pool`, `jobs.worker_failures`.

import Sim
import TaskSystem

// MARK: - ResilienceReader

/// Reads the keys that make parts fail and recover, over their defaults.
enum ResilienceReader {
    /// The lifecycle keys of `api.pool`.
    static let poolLifecycleKeys = ["recycle", "pre_ping", "connect_cost", "ping_cost"]
    /// The keys of `api.failures`.
    static let instanceFailureKeys = ["mtbf", "at"]
    /// The keys of `api.health_check`.
    static let healthCheckKeys = ["interval", "unhealthy_threshold"]
    /// The keys of `jobs.worker_failures`.
    static let workerFailureKeys = ["mtbf", "restart"]

    /// `recycle` (a duration > 0, or `false`: never), `pre_ping`, `connect_cost`, `ping_cost`.
    static func readLifecycle(_ pool: YAMLMapping, into lifecycle: inout ConnectionLifecycle) {
        pool.read("recycle", into: &lifecycle.recycle) { value -> SimTime?? in
            if value.boolIfWritten == false { return .some(nil) }
            guard let duration = value.positiveDuration() else { return nil }
            return .some(duration)
        }
        pool.read("pre_ping", into: &lifecycle.prePing) { $0.bool() }
        pool.read("connect_cost", into: &lifecycle.connectCost) { $0.duration() }
        pool.read("ping_cost", into: &lifecycle.pingCost) { $0.duration() }
    }

    /// `{mtbf: 6h, at: [10m, 30m]}`: random crashes, scripted crashes, or both.
    static func readInstanceFailures(_ value: YAMLValue, into failures: inout InstanceFailures) {
        guard let map = value.mapping(allowedKeys: instanceFailureKeys,
                                      expected: "a mapping such as {mtbf: 6h} or {at: [10m]}") else { return }
        var mtbf = failures.meanTimeBetweenFailures
        map.read("mtbf", into: &mtbf) { $0.positiveDuration() }
        var times = failures.at
        if let at = map.optional("at"), let list = at.list() {
            let read = list.compactMap { $0.duration() }
            if read.count == list.count { times = read }
        }
        failures = InstanceFailures(meanTimeBetweenFailures: mtbf, at: times)
    }

    /// `{interval: 30s, unhealthy_threshold: 2}` over ALB's defaults.
    static func readHealthCheck(_ value: YAMLValue, into check: inout HealthCheck) {
        guard let map = value.mapping(allowedKeys: healthCheckKeys) else { return }
        map.read("interval", into: &check.interval) { $0.positiveDuration() }
        map.read("unhealthy_threshold", into: &check.unhealthyThreshold) { $0.int(atLeast: 1, atMost: ScenarioBounds.smallCount) }
    }

    /// `{mtbf: 6h, restart: 60s}`; `mtbf` is required.
    static func readWorkerFailures(_ value: YAMLValue, into failures: inout WorkerFailures?) {
        guard let map = value.mapping(allowedKeys: workerFailureKeys, expected: "a mapping such as {mtbf: 6h}"),
              let mtbf = map.required("mtbf")?.positiveDuration() else { return }
        var restart = WorkerFailures(meanTimeBetweenFailures: mtbf).restart
        guard map.read("restart", into: &restart, { $0.duration() }) else { return }
        failures = WorkerFailures(meanTimeBetweenFailures: mtbf, restart: restart)
    }
}
