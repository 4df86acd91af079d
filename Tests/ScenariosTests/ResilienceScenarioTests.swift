// ResilienceScenarioTests.swift — the failure and connection-lifecycle keys: `api.failures`,
// `api.health_check`, `api.pool.{recycle, pre_ping, connect_cost, ping_cost}`,
// `jobs.visibility_timeout`, `jobs.worker_failures`: defaults, values, errors with positions.

import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite struct ResilienceScenarioTests {
    private func configuration(_ yaml: String) throws -> TaskSystemConfiguration {
        try Fixture.taskSystem("kind: task-system\nname: x\n\(yaml)").configuration
    }

    private func errors(_ yaml: String) throws -> [String] {
        try Fixture.errors("kind: task-system\nname: x\n\(yaml)")
    }

    @Test func defaultsAreTheSeedsAndOff() throws {
        let decoded = try configuration("")
        #expect(decoded.api.poolLifecycle == .seed)
        #expect(decoded.api.poolLifecycle.recycle == seconds(3600) && decoded.api.poolLifecycle.prePing)
        #expect(decoded.api.failures == .none && !decoded.api.failures.isEnabled && decoded.faults.isEmpty)
        #expect(decoded.api.healthCheck == HealthCheck(interval: seconds(30), unhealthyThreshold: 2))
        #expect(decoded.jobs.visibilityTimeout == seconds(3600) && decoded.jobs.workerFailures == nil)
    }

    @Test func valuesAreRead() throws {
        let decoded = try configuration("""
            api:
              pool: {recycle: 10m, pre_ping: false, connect_cost: 6ms, ping_cost: 1ms}
              failures: {mtbf: 6h, at: [30m, 10m]}
              health_check: {interval: 10s, unhealthy_threshold: 3}
            jobs: {visibility_timeout: 5m, worker_failures: {mtbf: 2h, restart: 20s}}
            """)
        #expect(decoded.api.poolLifecycle == ConnectionLifecycle(
            recycle: seconds(600), prePing: false, connectCost: 6_000_000, pingCost: 1_000_000))
        // The old spellings are read into fault entries (the API tier and the job queues get
        // them through the plan).
        #expect(decoded.faults.instanceFailures() == InstanceFailures(meanTimeBetweenFailures: seconds(6 * 3600),
                                                                      at: [seconds(600), seconds(1800)]))
        #expect(decoded.api.healthCheck == HealthCheck(interval: seconds(10), unhealthyThreshold: 3))
        #expect(decoded.jobs.visibilityTimeout == seconds(300))
        #expect(decoded.faults.workerFailures(over: nil)
                == WorkerFailures(meanTimeBetweenFailures: seconds(7200), restart: seconds(20)))
        #expect(try configuration("api: {pool: {recycle: false}}").api.poolLifecycle.recycle == nil)
        #expect(try configuration("jobs: {worker_failures: {mtbf: 1h}}").faults.workerFailures(over: nil)?.restart
                == seconds(60))
    }

    @Test("errors", arguments: [
        ("api: {pool: {recycle: 0s}}", ["3:23: api.pool.recycle: must be greater than 0"]),
        ("api: {pool: {pre_ping: maybe}}", ["3:24: api.pool.pre_ping: expected true or false, got the string \"maybe\""]),
        ("api: {pool: {recyle: 1h}}",
         ["3:14: api.pool.recyle: unknown key 'recyle'; did you mean 'recycle'?"]),
        ("api: {failures: {mtbf: -1h}}", ["3:24: api.failures.mtbf: duration must not be negative, got \"-1h\""]),
        ("api: {failures: {every: 1h}}", ["3:18: api.failures.every: unknown key 'every'; allowed keys: mtbf, at"]),
        ("api: {failures: {at: [10m, soon]}}", ["3:28: api.failures.at[1]: \"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\""]),
        ("api: {health_check: {timeout: 5s}}",
         ["3:22: api.health_check.timeout: unknown key 'timeout'; allowed keys: interval, unhealthy_threshold"]),
        ("api: {health_check: {unhealthy_threshold: 0}}", ["3:43: api.health_check.unhealthy_threshold: too small (min 1), got 0"]),
        ("jobs: {visibility_timeout: 0}", ["3:28: jobs.visibility_timeout: must be greater than 0"]),
        ("jobs: {worker_failures: {restart: 1m}}", ["3:25: jobs.worker_failures: missing required key 'mtbf'"]),
        ("jobs: {worker_failures: {mtbf: 1h, reboot: 1m}}",
         ["3:36: jobs.worker_failures.reboot: unknown key 'reboot'; allowed keys: mtbf, restart"]),
    ])
    func errorsPointAtTheKey(yaml: String, expected: [String]) throws {
        #expect(try errors(yaml) == expected)
    }
}
