// FuzzPlanTests.swift — `simrun fuzz`'s draws: within their documented bounds, a function of the
// run's seed, rendered as --param settings the loader accepts; and the shrinker's delta debugging.

import Foundation
import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite struct FuzzPlanTests {
    /// A one-hour scenario with a 5-minute warm-up, autoscaling 2…20 and `users.concurrent`.
    let context = FuzzContext(durationSeconds: 3_600, warmupSeconds: 300, instances: 2, autoscalingRange: 2...20,
                              concurrentUsers: 100, databaseTiers: false)

    static func seconds(_ value: FaultEntry.Value?) -> Int? {
        if case .seconds(let seconds)? = value { return seconds }
        return nil
    }

    @Test func everyDrawStaysInsideItsDocumentedBounds() {
        var seenKinds: Set<String> = []
        var seenKeys: Set<String> = []
        for index in 0..<2_000 {
            let fuzzCase = FuzzCase.draw(index: index, baseSeed: 42, context: context)
            for parameter in fuzzCase.parameters {
                seenKeys.insert(parameter.keyPath)
                switch parameter.keyPath {
                case "users.concurrent": #expect((50...200).contains(Int(parameter.value)!))
                case "api.instances": #expect((2...20).contains(Int(parameter.value)!))
                case "api.load_balancing": #expect(["round-robin", "least-connections", "sticky"].contains(parameter.value))
                case "api.local_cache_entries": #expect((0...2_000).contains(Int(parameter.value)!))
                case "api.consistency_window":
                    #expect(parameter.value.hasSuffix("s") && (5...30).contains(Int(parameter.value.dropLast())!))
                case "database.replicas": #expect((0...3).contains(Int(parameter.value)!))
                case "database.replication_lag":
                    let mean = parameter.value.split(separator: " ")[3].dropLast(3)  // "{distribution: lognormal, mean: 350ms, cv: 1}"
                    #expect((10...2_000).contains(Int(mean)!), "\(parameter.value)")
                default: Issue.record("unexpected parameter \(parameter.keyPath)")
                }
            }
            for kind in FuzzFaultKind.all {
                #expect(fuzzCase.faults.filter { $0.kind == kind.name }.count <= kind.maximumEntries)
            }
            // A replica fault names a replica the run starts with (the drawn database.replicas;
            // the context's file has none).
            let replicas = fuzzCase.parameters.first { $0.keyPath == "database.replicas" }.flatMap { Int($0.value) } ?? 0
            // A plan with a redis-flush declares read-your-writes an accepted loss, one with a
            // primary-failover no-acknowledged-write-lost, and only then (in the table's order).
            let flush = fuzzCase.faults.contains { $0.kind == "redis-flush" }
            let failover = fuzzCase.faults.contains { $0.kind == "primary-failover" }
            #expect(fuzzCase.acceptedLosses == (flush ? ["read-your-writes"] : []) + (failover ? ["no-acknowledged-write-lost"] : []))
            for (position, fault) in fuzzCase.faults.enumerated() {
                seenKinds.insert(fault.kind)
                if let mtbf = Self.seconds(fault["mtbf"]) { #expect((900...14_400).contains(mtbf)) }
                if let at = Self.seconds(fault["at"]) { #expect((300..<3_600).contains(at)) }
                if case .count(let count)? = fault["count"] { #expect((1...3).contains(count)) }
                if let restart = Self.seconds(fault["restart"]) { #expect((10...120).contains(restart)) }
                if let at = Self.seconds(fault["at"]), let duration = Self.seconds(fault["duration"]) {
                    #expect(duration >= 1 && at + duration <= 3_600, "ends by the run's end: \(fault)")
                    let longest = ["redis-outage": 300, "zone-loss": 900, "replica-stall": 120][fault.kind] ?? 300
                    #expect(duration <= longest, "\(fault)")
                }
                if case .count(let replica)? = fault["replica"] { #expect(replica < replicas, "\(fault)") }
                if let lag = Self.seconds(fault["lag"]) { #expect((1...30).contains(lag)) }
                if case .milliseconds(let extra)? = fault["extra"] { #expect((5...2_000).contains(extra)) }
                if case .name(let link)? = fault["link"] { #expect(["api-database", "api-cache", "api-queue"].contains(link)) }
                if case .name(let zone)? = fault["zone"] { #expect(["a", "b"].contains(zone)) }
                if case .count(let connections)? = fault["connections"] { #expect((50...5_000).contains(connections)) }
                if fault.kind == "instance-crash", fault["mtbf"] != nil {
                    // Only a plan's first instance-crash entry may be a rate (api.failures has one mtbf).
                    #expect(fuzzCase.faults.firstIndex { $0.kind == "instance-crash" } == position)
                }
            }
        }
        #expect(seenKinds == Set(FuzzFaultKind.all.map(\.name)))
        #expect(seenKeys == Set(FuzzParameter.all.map(\.keyPath)))
    }

    @Test func aRunIsAFunctionOfItsSeedAlone() {
        let first = FuzzCase.draw(index: 7, baseSeed: 42, context: context)
        #expect(first == FuzzCase.draw(index: 7, baseSeed: 42, context: context))
        #expect(first.seed == RandomStreamFactory(rootSeed: 42).seed(named: "fuzz.run.7"))
        #expect(first == FuzzCase.draw(index: 7, seed: first.seed, context: context))
        let seeds = Set((0..<1_000).map { FuzzCase.seed(ofRun: $0, baseSeed: 42) })
        #expect(seeds.count == 1_000)
        #expect(FuzzCase.draw(index: 7, baseSeed: 43, context: context) != first)
    }

    @Test func parametersTheScenarioCannotTakeAreNeverDrawn() {
        let profile = FuzzContext(durationSeconds: 600, warmupSeconds: 60, instances: 3, autoscalingRange: nil,
                                  concurrentUsers: nil, databaseTiers: true)
        for index in 0..<500 {
            let fuzzCase = FuzzCase.draw(index: index, baseSeed: 1, context: profile)
            #expect(!fuzzCase.parameters.contains { $0.keyPath == "users.concurrent" || $0.keyPath == "database.replicas" })
            for parameter in fuzzCase.parameters where parameter.keyPath == "api.instances" {
                #expect((1...6).contains(Int(parameter.value)!))
            }
        }
    }

    @Test func faultsRenderAsTodaysKeysAndFutureKindsAsTheFaultsList() throws {
        let fuzzCase = FuzzCase(index: 0, seed: 5, parameters: [.init(keyPath: "database.replicas", value: "2")], faults: [
            FaultEntry(kind: "instance-crash", keys: [("at", .seconds(900)), ("count", .count(2))]),
            FaultEntry(kind: "instance-crash", keys: [("mtbf", .seconds(7_200))]),
            FaultEntry(kind: "instance-crash", keys: [("at", .seconds(600)), ("count", .count(1))]),
            FaultEntry(kind: "worker-crash", keys: [("mtbf", .seconds(3_000)), ("restart", .seconds(30))]),
            FaultEntry(kind: "redis-outage", keys: [("at", .seconds(1_200)), ("duration", .seconds(60))]),
        ])
        #expect(try fuzzCase.settings().map(\.description) == [
            "database.replicas=2",
            "api.failures={mtbf: 7200s, at: [600s, 900s, 900s]}",
            "jobs.worker_failures={mtbf: 3000s, restart: 30s}",
            "faults=[{kind: redis-outage, at: 1200s, duration: 60s}]",
        ])
    }

    @Test func drawnSettingsLoadAndReachTheConfiguration() throws {
        let yaml = """
            kind: task-system
            name: fuzz-plan
            duration: 1h
            warmup: 5m
            users: {registered: 1000, concurrent: 100}
            api: {instances: 2, autoscaling: {min: 2, max: 20}}
            """
        guard case .taskSystem(let base) = try ScenarioLoader.load(yaml: yaml, path: "fuzz-plan.yaml") else {
            Issue.record("not a task-system scenario"); return
        }
        #expect(FuzzContext(base) == context)
        var crashes = 0
        for index in 0..<60 {
            let fuzzCase = FuzzCase.draw(index: index, baseSeed: 9, context: FuzzContext(base))
            guard case .taskSystem(let loaded) = try ScenarioLoader.load(yaml: yaml, path: "fuzz-plan.yaml",
                                                                         settings: try fuzzCase.settings()) else { continue }
            let scripted = fuzzCase.faults.filter { $0.kind == "instance-crash" && $0["at"] != nil }.reduce(0) { total, fault in
                if case .count(let count)? = fault["count"] { return total + count }
                return total + 1
            }
            // The old keys are read into the fault plan's entries (`faults:`).
            let faults = loaded.configuration.faults
            #expect(faults.instanceFailures(over: loaded.configuration.api.failures).at.count == scripted)
            crashes += scripted
            #expect((faults.workerFailures(over: loaded.configuration.jobs.workerFailures) != nil)
                    == fuzzCase.faults.contains { $0.kind == "worker-crash" })
        }
        #expect(crashes > 0)
    }

    // MARK: Shrinking

    /// A failure that needs a `database.replicas` parameter and an instance crash at 900 s.
    static func fails(_ fuzzCase: FuzzCase) -> Bool {
        fuzzCase.parameters.contains { $0.keyPath == "database.replicas" }
            && fuzzCase.faults.contains { $0.kind == "instance-crash" && $0["at"] == .seconds(900) }
    }

    static let failing = FuzzCase(index: 3, seed: 11, parameters: [
        .init(keyPath: "api.instances", value: "4"), .init(keyPath: "database.replicas", value: "2"),
        .init(keyPath: "api.consistency_window", value: "9s"),
    ], faults: [
        FaultEntry(kind: "instance-crash", keys: [("mtbf", .seconds(2_000))]),
        FaultEntry(kind: "instance-crash", keys: [("at", .seconds(900)), ("count", .count(3))]),
        FaultEntry(kind: "worker-crash", keys: [("mtbf", .seconds(1_000)), ("restart", .seconds(100))]),
    ])

    @Test func shrinkingFindsTheSmallestPlanThatStillFails() async throws {
        var tried: [FuzzCase] = []
        let (smallest, attempts) = try await FuzzShrinker(maximumAttempts: 50).shrink(Self.failing) { candidate in
            tried.append(candidate)
            return Self.fails(candidate)
        }
        #expect(smallest.faults == [FaultEntry(kind: "instance-crash", keys: [("at", .seconds(900)), ("count", .count(1))])])
        #expect(smallest.parameters == [.init(keyPath: "database.replicas", value: "2")])
        #expect(smallest.seed == Self.failing.seed)
        #expect(attempts == tried.count && attempts < 50)
        // Delta debugging's order: the whole plan dropped first, parameters last.
        #expect(tried.first?.faults.isEmpty == true && tried.first?.parameters == Self.failing.parameters)
    }

    @Test func shrinkingStopsAtItsBound() async throws {
        var runs = 0
        let (smallest, attempts) = try await FuzzShrinker(maximumAttempts: 3).shrink(Self.failing) { candidate in
            runs += 1
            return Self.fails(candidate)
        }
        #expect(attempts == 3 && runs == 3)
        #expect(Self.fails(smallest))
        let (unchanged, none) = try await FuzzShrinker(maximumAttempts: 0).shrink(Self.failing) { _ in true }
        #expect(unchanged == Self.failing && none == 0)
    }

    @Test func shrinkStepsMakeAFaultMilderWithinTheirLimits() {
        #expect(FuzzFaultKind.ShrinkStep.decrementCount.apply(to: .count(3)) == .count(2))
        #expect(FuzzFaultKind.ShrinkStep.decrementCount.apply(to: .count(1)) == nil)
        #expect(FuzzFaultKind.ShrinkStep.halveDuration(toAtLeast: 1).apply(to: .seconds(3)) == .seconds(1))
        #expect(FuzzFaultKind.ShrinkStep.halveDuration(toAtLeast: 1).apply(to: .seconds(1)) == nil)
        #expect(FuzzFaultKind.ShrinkStep.doubleMTBF(toAtMost: 100).apply(to: .seconds(60)) == .seconds(100))
        #expect(FuzzFaultKind.ShrinkStep.doubleMTBF(toAtMost: 100).apply(to: .seconds(100)) == nil)
        #expect(FuzzFaultKind.ShrinkStep.halveMilliseconds(toAtLeast: 1).apply(to: .milliseconds(250)) == .milliseconds(125))
        #expect(FuzzFaultKind.ShrinkStep.halveMilliseconds(toAtLeast: 1).apply(to: .milliseconds(1)) == nil)
        #expect(FuzzFaultKind.ShrinkStep.halveCount(toAtLeast: 1).apply(to: .count(501)) == .count(250))
        #expect(FuzzFaultKind.ShrinkStep.halveCount(toAtLeast: 1).apply(to: .count(1)) == nil)
    }

    /// The kinds written into `faults:` render in the schema's spelling; a redis-flush adds
    /// `read-your-writes` to the file's own `accept:` list (kept), and nothing else does.
    @Test func newKindsRenderIntoTheFaultsListAndAFlushDeclaresItsLoss() throws {
        var fuzzCase = FuzzCase(index: 0, seed: 5, parameters: [.init(keyPath: "database.replicas", value: "2")], faults: [
            FaultEntry(kind: "redis-flush", keys: [("at", .seconds(700))]),
            FaultEntry(kind: "replica-lag-spike", keys: [("at", .seconds(800)), ("duration", .seconds(60)),
                                                         ("lag", .seconds(9)), ("replica", .count(1))]),
            FaultEntry(kind: "latency-spike", keys: [("at", .seconds(900)), ("duration", .seconds(30)),
                                                     ("link", .name("api-cache")), ("extra", .milliseconds(40))]),
        ], baseAccepted: ["jobs-conserved"])
        #expect(try fuzzCase.settings().map(\.description) == [
            "database.replicas=2",
            "faults=[{kind: redis-flush, at: 700s}, {kind: replica-lag-spike, at: 800s, duration: 60s, lag: 9s, replica: 1}, "
                + "{kind: latency-spike, at: 900s, duration: 30s, link: api-cache, extra: 40ms}]",
            "accept=[jobs-conserved, read-your-writes]",
        ])
        fuzzCase.faults.removeFirst()
        #expect(try fuzzCase.settings().map(\.description).last?.hasPrefix("faults=") == true, "no flush: the file's accept stays")
    }

    /// Every drawn plan of a scenario with replicas loads: replica faults name replicas it has.
    @Test func drawnPlansWithReplicaFaultsLoad() throws {
        let yaml = """
            kind: task-system
            name: fuzz-replicas
            duration: 10m
            warmup: 1m
            users: {registered: 1000, concurrent: 100}
            database: {replicas: 2}
            accept: [jobs-conserved]
            """
        guard case .taskSystem(let base) = try ScenarioLoader.load(yaml: yaml, path: "fuzz-replicas.yaml") else {
            Issue.record("not a task-system scenario"); return
        }
        let context = FuzzContext(base)
        #expect(context.replicas == 2 && context.acceptedLosses == ["jobs-conserved"])
        var replicaFaults = 0
        for index in 0..<80 {
            let fuzzCase = FuzzCase.draw(index: index, baseSeed: 3, context: context)
            guard case .taskSystem(let loaded) = try ScenarioLoader.load(yaml: yaml, path: "fuzz-replicas.yaml",
                                                                         settings: try fuzzCase.settings()) else { continue }
            replicaFaults += loaded.configuration.faults.faults.filter {
                [.replicaStall, .replicaLagSpike, .replicaLoss].contains($0.kind)
            }.count
            #expect(loaded.configuration.acceptedLosses.map(\.rawValue) == fuzzCase.acceptedLosses)
            #expect(loaded.configuration.acceptedLosses.contains(.jobsConserved))
        }
        #expect(replicaFaults > 0)
    }
}
