// FaultsScenarioTests.swift — the `faults:` list and `accept:`: every implemented kind read
// into its Fault, the old spellings (`api.failures`, `jobs.worker_failures`) as the same
// entries, and errors with positions (unimplemented kinds refused, never silently accepted).

import Foundation
import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite struct FaultsScenarioTests {
    private func configuration(_ yaml: String) throws -> TaskSystemConfiguration {
        try Fixture.taskSystem("kind: task-system\nname: x\nduration: 1h\n\(yaml)").configuration
    }

    private func errors(_ yaml: String) throws -> [String] {
        try Fixture.errors("kind: task-system\nname: x\nduration: 1h\n\(yaml)")
    }

    @Test func everyImplementedKindIsRead() throws {
        let decoded = try configuration("""
            faults:
              - {kind: instance-crash, at: 10m}
              - {kind: instance-crash, at: 20m, count: 2}
              - {kind: instance-crash, mtbf: 6h}
              - {kind: worker-crash, mtbf: 2h, queue: low, restart: 30s}
              - {kind: redis-outage, at: 15m, duration: 2m}
              - {kind: redis-flush, at: 40m}
              - {kind: zone-loss, at: 30m}
              - {kind: zone-loss, at: 50m, duration: 5m, zone: a}
              - {kind: primary-failover, at: 45m}
              - {kind: primary-failover, at: 55m, promotion: 90s}
              - {kind: worker-crash, at: 25m}
              - {kind: worker-crash, at: 35m, count: 3, queue: high, restart: 2m}
            accept: [read-your-writes, no-acknowledged-write-lost]
            """)
        #expect(decoded.faults.faults == [
            .instanceCrash(at: seconds(600), count: 1),
            .instanceCrash(at: seconds(1200), count: 2),
            .randomInstanceCrashes(mtbf: seconds(6 * 3600)),
            .randomWorkerCrashes(mtbf: seconds(7200), restart: seconds(30), queue: .low),
            .redisOutage(at: seconds(900), duration: seconds(120)),
            .redisFlush(at: seconds(2400)),
            .zoneLoss(at: seconds(1800), duration: nil, zone: .b),
            .zoneLoss(at: seconds(3000), duration: seconds(300), zone: .a),
            .primaryFailover(at: seconds(2700), promotion: seconds(30)),
            .primaryFailover(at: seconds(3300), promotion: seconds(90)),
            .workerCrash(at: seconds(1500), count: 1, restart: seconds(60), queue: nil),
            .workerCrash(at: seconds(2100), count: 3, restart: seconds(120), queue: .high),
        ])
        #expect(decoded.acceptedLosses == [.readYourWrites, .noAcknowledgedWriteLost])
        // The crashes go to the API tier (each `count` times) and the job queues.
        #expect(decoded.faults.instanceFailures() == InstanceFailures(
            meanTimeBetweenFailures: seconds(6 * 3600), at: [seconds(600), seconds(1200), seconds(1200)]))
        #expect(decoded.faults.workerFailures(over: nil)
                == WorkerFailures(meanTimeBetweenFailures: seconds(7200), restart: seconds(30), queue: .low))
        #expect(decoded.faults.injected.map(\.kind) == [.redisOutage, .redisFlush, .zoneLoss, .zoneLoss, .primaryFailover,
                                                        .primaryFailover, .workerCrash, .workerCrash])
        #expect(decoded.faults.scriptsWorkerCrashes)
        #expect(decoded.faults.crashesInstances)
    }

    @Test func defaultsAreNoFaultAndNothingAccepted() throws {
        let decoded = try configuration("")
        #expect(decoded.faults == .none && decoded.acceptedLosses.isEmpty)
        #expect(try configuration("faults: [{kind: worker-crash, mtbf: 1h}]").faults.faults
                == [.randomWorkerCrashes(mtbf: seconds(3600), restart: seconds(60), queue: nil)])
    }

    /// The old keys and the `faults:` entries they spell give the same configuration, so the
    /// same run (the whole configuration is compared, not just the plan).
    @Test func oldSpellingsAreTheSameEntries() throws {
        let old = try configuration("""
            api: {failures: {mtbf: 6h, at: [30m, 10m]}}
            jobs: {worker_failures: {mtbf: 2h, restart: 20s}}
            """)
        let new = try configuration("""
            faults:
              - {kind: instance-crash, mtbf: 6h}
              - {kind: instance-crash, at: 10m}
              - {kind: instance-crash, at: 30m}
              - {kind: worker-crash, mtbf: 2h, restart: 20s}
            """)
        #expect(old == new)
        #expect(old.api.failures == .none && old.jobs.workerFailures == nil)
    }

    @Test("errors", arguments: [
        ("faults: {kind: redis-flush}", ["4:9: faults: expected a list, got a mapping"]),
        ("faults: [{kind: replica-stall, at: 10m}]",
         ["4:17: faults[0].kind: fault kind 'replica-stall' is not implemented yet; implemented kinds: instance-crash, worker-crash, redis-outage, redis-flush, zone-loss, primary-failover"]),
        ("faults: [{kind: primary-failover}]", ["4:10: faults[0]: missing required key 'at'"]),
        ("faults: [{kind: primary-failover, at: 10m, promotion: 0s}]", ["4:55: faults[0].promotion: must be greater than 0"]),
        ("faults: [{kind: primary-failover, at: 10m, duration: 30s}]",
         ["4:44: faults[0].duration: unknown key 'duration'; allowed keys: kind, at, promotion"]),
        ("faults: [{kind: primary-failover, at: 2h}]",
         ["4:39: faults[0].at: must be before the run ends (duration 3600.0 s), got 7200.0 s"]),
        ("faults: [{kind: primary-failover, at: 10m, promotion: soon}]",
         ["4:55: faults[0].promotion: \"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\""]),
        ("faults: [{kind: redis-outgae, at: 10m}]",
         ["4:17: faults[0].kind: unknown fault kind 'redis-outgae'; did you mean 'redis-outage'?"]),
        ("faults: [{at: 10m}]", ["4:10: faults[0]: missing required key 'kind'"]),
        ("faults: [{kind: redis-outage, at: 10m}]", ["4:10: faults[0]: missing required key 'duration'"]),
        ("faults: [{kind: redis-outage, at: 10m, duration: 0s}]", ["4:50: faults[0].duration: must be greater than 0"]),
        ("faults: [{kind: redis-flush, at: 2h}]",
         ["4:34: faults[0].at: must be before the run ends (duration 3600.0 s), got 7200.0 s"]),
        ("faults: [{kind: redis-flush, at: 1m, duration: 1m}]",
         ["4:38: faults[0].duration: unknown key 'duration'; allowed keys: kind, at"]),
        ("faults: [{kind: instance-crash}]",
         ["4:10: faults[0]: instance-crash needs 'at' (a time, with an optional 'count') or 'mtbf' (a mean time to crash)"]),
        ("faults: [{kind: instance-crash, at: 1m, mtbf: 1h}]", ["4:47: faults[0].mtbf: give either 'at' or 'mtbf', not both"]),
        ("faults: [{kind: instance-crash, at: 1m, count: 0}]", ["4:48: faults[0].count: too small (min 1), got 0"]),
        ("faults: [{kind: instance-crash, mtbf: 1h, count: 2}]", ["4:50: faults[0].count: 'count' goes with 'at', not with 'mtbf'"]),
        ("api: {failures: {mtbf: 1h}}\nfaults: [{kind: instance-crash, mtbf: 2h}]",
         ["5:39: faults[0].mtbf: instance-crash already has an 'mtbf' (from an earlier entry or api.failures); give one"]),
        ("faults: [{kind: primary-failover, at: 10m}, {kind: primary-failover, at: 620s, promotion: 1m}]",
         ["4:74: faults[1].at: overlaps the primary-failover at 600.0 s (promotion 30.0 s); failovers must not overlap"]),
        ("faults: [{kind: worker-crash, at: 1m, mtbf: 1h}]", ["4:45: faults[0].mtbf: give either 'at' or 'mtbf', not both"]),
        ("faults: [{kind: worker-crash, at: 1m, count: 0}]", ["4:46: faults[0].count: too small (min 1), got 0"]),
        ("faults: [{kind: worker-crash, mtbf: 1h, count: 2}]", ["4:48: faults[0].count: 'count' goes with 'at', not with 'mtbf'"]),
        ("faults: [{kind: worker-crash, at: 1m, queue: urgent}]",
         ["4:46: faults[0].queue: unknown queue 'urgent'; allowed: high, default, low"]),
        ("faults: [{kind: worker-crash, mtbf: 1h, queue: urgent}]",
         ["4:48: faults[0].queue: unknown queue 'urgent'; allowed: high, default, low"]),
        ("faults: [{kind: zone-loss, at: 1m, zone: c}]",
         ["4:42: faults[0].zone: unknown availability zone 'c'; did you mean 'a'?"]),
        ("accept: [read-your-write]", ["4:10: accept[0]: unknown invariant 'read-your-write'; did you mean 'read-your-writes'?"]),
        ("accept: [jobs-conserved, jobs-conserved]", ["4:26: accept[1]: 'jobs-conserved' is listed twice"]),
    ])
    func errorsPointAtTheKey(yaml: String, expected: [String]) throws {
        #expect(try errors(yaml) == expected)
    }

    @Test func aListLongerThanTheBoundIsRefused() throws {
        let entries = Array(repeating: "{kind: redis-flush, at: 1m}", count: FaultsReader.maxFaults + 1)
        #expect(try errors("faults: [\(entries.joined(separator: ", "))]")
                == ["4:9: faults: has \(FaultsReader.maxFaults + 1) entries; at most \(FaultsReader.maxFaults) are allowed"])
    }

    /// The shipped fault scenarios load with the faults their header comments describe.
    @Test func theShippedFaultScenariosLoad() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios")
        func configuration(_ name: String) throws -> TaskSystemConfiguration {
            let path = folder.appendingPathComponent(name).standardizedFileURL.path
            guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: path) else {
                Issue.record("\(name) is not a task-system scenario")
                throw Fixture.FixtureError.wrongKind
            }
            return scenario.configuration
        }
        #expect(try configuration("redis-outage.yaml").faults.faults == [.redisOutage(at: seconds(600), duration: seconds(120))])
        let failover = try configuration("failover.yaml")
        #expect(failover.faults.faults == [.primaryFailover(at: seconds(300), promotion: seconds(30))])
        #expect(failover.acceptedLosses == [.noAcknowledgedWriteLost])
        #expect(try configuration("az-loss.yaml").faults.faults
                == [.zoneLoss(at: seconds(480), duration: seconds(600), zone: .b)])
        // The old spelling in instance-failure.yaml is one instance-crash entry.
        #expect(try configuration("instance-failure.yaml").faults.faults == [.instanceCrash(at: seconds(615), count: 1)])
    }
}
