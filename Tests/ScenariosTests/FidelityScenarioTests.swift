// FidelityScenarioTests.swift — issue 11: the replica applier's keys, `api.pool.per_engine`.

import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite("The replica applier's keys in scenarios")
struct ReplicaApplierScenarioTests {
    /// Absent keys: the applier costs the primary's write distribution, with MySQL 8.0.27's 4 workers.
    @Test func omittedKeysKeepTheDefaults() throws {
        let database = try Fixture.taskSystem("""
            kind: task-system
            name: x
            database: {write: {distribution: constant, value: 3ms}}
            """).configuration.database
        #expect(database.replicaApplyCost == nil && database.replicaParallelWorkers == 4)
        #expect(database.effectiveReplicaApplyCost == .constant(0.003) && !database.appliesInstantly)
    }

    @Test func bothKeysAreRead() throws {
        let database = try Fixture.taskSystem("""
            kind: task-system
            name: x
            database:
              replica_apply: {distribution: exponential, mean: 1ms}
              replica_parallel_workers: 0
            """).configuration.database
        #expect(database.replicaApplyCost == .exponential(mean: 0.001) && database.replicaParallelWorkers == 0)
        let constant = try Fixture.taskSystem("kind: task-system\nname: x\ndatabase: {replica_apply: 2ms}\n")
        #expect(constant.configuration.database.replicaApplyCost == .constant(0.002))
        let instant = try Fixture.taskSystem("kind: task-system\nname: x\ndatabase: {replica_apply: 0}\n")
        #expect(instant.configuration.database.appliesInstantly)
    }

    @Test func badValuesAreReportedAtTheirKey() throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {replica_parallel_workers: 2000}") == [
            "3:38: database.replica_parallel_workers: too large (max 1024), got 2000",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {replica_parallel_workers: -1}") == [
            "3:38: database.replica_parallel_workers: too small (min 0), got -1",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {replica_apply: -1ms}") == [
            "3:27: database.replica_apply: duration must not be negative, got \"-1ms\"",
        ])
    }
}

@Suite("api.pool.per_engine in scenarios")
struct PoolPerEngineScenarioTests {
    @Test func perEngineIsTheDefaultAndCanBeTurnedOff() throws {
        #expect(try Fixture.taskSystem("kind: task-system\nname: x\n").configuration.api.poolPerEngine)
        let shared = try Fixture.taskSystem("kind: task-system\nname: x\napi: {pool: {per_engine: false}}\n")
        #expect(!shared.configuration.api.poolPerEngine)
        #expect(try Fixture.errors("kind: task-system\nname: x\napi: {pool: {per_engine: 2}}") == [
            "3:26: api.pool.per_engine: expected true or false, got 2",
        ])
    }
}
