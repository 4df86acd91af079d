// FidelityScenarioTests.swift — issue 11: the replica applier, `api.pool.per_engine`, Redis capacity keys.

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

@Suite("Redis capacity keys in scenarios")
struct RedisCapacityScenarioTests {
    @Test func omittedKeysKeepTheDefaults() throws {
        let cache = try Fixture.taskSystem("kind: task-system\nname: x\n").configuration.cache
        #expect(cache.node?.name == "cache.r6g.large" && cache.commandTime == 0.000_008 && cache.bandwidth == nil)
        #expect(cache.patternDelete == .keys && cache.scanCount == 10 && cache.keyScanTime == 0.000_000_04)
    }

    @Test func everyKeyIsRead() throws {
        let cache = try Fixture.taskSystem("""
            kind: task-system
            name: x
            cache: {node: cache.m6g.large, command_time: 20us, bandwidth_gbps: 2, pattern_delete: scan, scan_count: 100, key_scan_time: 100ns}
            """).configuration.cache
        #expect(cache.node == PriceCatalog.builtIn.cacheNode(named: "cache.m6g.large"))
        #expect(cache.node?.baselineGbps == 0.75 && cache.node?.hourlyPrice == 0.149)
        #expect(abs(cache.commandTime - 0.000_02) < 1e-15 && cache.bandwidth == 250_000_000)
        #expect(cache.patternDelete == .scan && cache.scanCount == 100 && abs(cache.keyScanTime - 1e-7) < 1e-18)
        #expect(try Fixture.taskSystem("kind: task-system\nname: x\ncache: {node: none}\n").configuration.cache.node == nil)
    }

    @Test func anUnknownNodeTypeIsReportedWithTheCatalog() throws {
        let errors = try Fixture.errors("kind: task-system\nname: x\ncache: {node: cache.r6g.larg}")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("3:15: cache.node: unknown node type 'cache.r6g.larg'; did you mean 'cache.r6g.large'?") == true)
    }
}
