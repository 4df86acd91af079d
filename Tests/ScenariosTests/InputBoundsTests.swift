// InputBoundsTests.swift — integers as written, alias expansion, the memory estimate.

import Foundation
import Testing
@testable import Scenarios
import Sim

// MARK: - Integers

@Suite struct IntegerParsingTests {
    @Test(arguments: [
        ("42", YAMLValue.ParsedInteger.value(42)),
        ("1_000", .value(1000)),
        ("1e6", .value(1_000_000)),
        ("2000.0", .value(2000)),
        ("-3", .value(-3)),
        ("99999999999999999999999", .tooLarge),
        ("-99999999999999999999999", .tooSmall),
        ("1e19", .tooLarge),
        ("-1e19", .tooSmall),
    ])
    func integers(text: String, expected: YAMLValue.ParsedInteger) {
        #expect(YAMLValue.parseInteger(text) == expected)
    }

    @Test(arguments: ["1.5", "1e-3", "abc", ".inf", ".nan", "0x10"])
    func notIntegers(text: String) {
        #expect(YAMLValue.parseInteger(text) == nil)
    }

    @Test func integralFloatIsBoundChecked() throws {
        let scenario = try Fixture.taskSystem("""
            kind: task-system
            name: x
            users: {registered: 2e3, concurrent: 1e2}
            """)
        #expect(scenario.configuration.workload.data.users == 2000)
        #expect(try Fixture.errors("kind: task-system\nname: x\nusers: {registered: 1e12}")
                == ["3:21: users.registered: too large (max 100000000), got 1e12"])
    }
}

// MARK: - Alias expansion

@Suite struct AliasExpansionTests {
    /// Ten levels of ten aliases each: 10¹⁰ nodes once expanded, from about 1 KB.
    static func bomb(use: String) -> String {
        var text = "kind: task-system\nname: x\na: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text + use
    }

    @Test func aBombAsAMappingKeyIsRefusedInMilliseconds() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let errors = try Fixture.errors(Self.bomb(use: "bomb: {? *l9 : 1}\n"))
        #expect(clock.now - started < .milliseconds(500))
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("7:") == true)
        #expect(errors.first?.contains("alias '*l") == true)
        #expect(errors.first?.contains("nodes once aliases are expanded") == true)
    }

    @Test func aFewAliasesAreFine() throws {
        let scenario = try Fixture.taskSystem("""
            kind: task-system
            name: x
            users:
              think: &think {distribution: exponential, mean: 5}
              requests_per_session: {distribution: exponential, mean: 10}
            api:
              cpu:
                get_task: *think
            """)
        #expect(scenario.configuration.workload.thinkTime == .exponential(mean: 5))
    }

    /// A key that is a list is refused; what follows it is placed under the mapping, not under
    /// the key before it.
    @Test func aListAsAKeyIsRefusedAndTheValueAfterItKeepsItsPlace() throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\n? [a]\n: {p: 1, p: 2}\n") == [
            "3:3: mapping keys must be plain strings",
            "4:10: p: duplicate key 'p'; each key may appear once in a mapping",
        ])
    }

    @Test func duplicateKeyIsReportedAtTheDuplicateWithItsPath() throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\napi:\n  instances: 2\n  instances: 3\n")
                == ["5:3: api.instances: duplicate key 'instances'; each key may appear once in a mapping"])
    }
}

// MARK: - Memory estimate

@Suite struct MemoryEstimateTests {
    static func scenario(_ yaml: String) throws -> Scenario {
        .taskSystem(try Fixture.taskSystem("kind: task-system\nname: x\n" + yaml))
    }

    @Test func growsWithTheKeysAndNamesTheLargest() throws {
        let small = MemoryEstimate.of(try Self.scenario("users: {registered: 1000, concurrent: 100}"), threads: 1)
        let large = MemoryEstimate.of(try Self.scenario("users: {registered: 1000, concurrent: 10000000}"), threads: 1)
        #expect(large.bytes > small.bytes)
        #expect(large.drivers.first?.key == "users.concurrent / load")
        #expect(large.drivers.first.map { $0.share > 0.99 } == true)
        #expect(large.refusal(limit: 64 << 30, limitSource: "--max-memory")?.contains("users.concurrent") == true)
        #expect(small.refusal(limit: 64 << 30, limitSource: "--max-memory") == nil)
    }

    @Test func replicationsRunAtOnceMultiply() throws {
        let scenario = try Self.scenario("replications: 8\nusers: {registered: 100000}")
        let one = MemoryEstimate.of(scenario, threads: 1), four = MemoryEstimate.of(scenario, threads: 4)
        let sixteen = MemoryEstimate.of(scenario, threads: 16)
        #expect(abs((four.bytes - MemoryEstimate.processBytes) - 4 * (one.bytes - MemoryEstimate.processBytes)) < 1)
        #expect(abs((sixteen.bytes - MemoryEstimate.processBytes) - 8 * (one.bytes - MemoryEstimate.processBytes)) < 1)
    }

    /// The calibration points (peak RSS of release runs, see the type's documentation) are
    /// reproduced within 25 %.
    @Test func matchesTheMeasuredPeaks() throws {
        let measured: [(String, Double)] = [
            ("users: {registered: 100000, concurrent: 10, tasks_per_project: 50}\napi: {instances: 2, autoscaling: false}", 194e6),
            ("users: {registered: 300000, concurrent: 10, tasks_per_project: 50}\napi: {instances: 2, autoscaling: false}", 533e6),
            ("users: {registered: 100000, concurrent: 30000, tasks_per_project: 50}\napi: {instances: 40, autoscaling: false}", 696e6),
        ]
        for (yaml, peak) in measured {
            let estimate = MemoryEstimate.of(try Self.scenario("replications: 1\n" + yaml), threads: 1)
            #expect(abs(estimate.bytes - peak) / peak < 0.25, "\(yaml): \(estimate.bytes) vs \(peak)")
        }
    }

    @Test func limitsAreReadWithUnits() throws {
        #expect(try MemoryEstimate.limit(from: "4GiB").get() == 4 << 30)
        #expect(try MemoryEstimate.limit(from: "512MB").get() == 512_000_000)
        #expect((try? MemoryEstimate.limit(from: "lots").get()) == nil)
    }
}
