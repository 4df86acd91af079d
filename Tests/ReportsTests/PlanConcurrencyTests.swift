// PlanConcurrencyTests.swift — the plan's tiers searched at once in shared replication slots:
// at most `threads` replications run, the larger tier's first; a confirmation reuses its
// screening's replication and reports what a fresh run would; the plan does not depend on
// `threads`.

import Foundation
import Synchronization
import Testing
@testable import Reports
import Scenarios
import TaskSystem

/// Shared counters for work running in several tasks at once.
private final class Tally: Sendable {
    let running = Mutex(0)
    let most = Mutex(0)
    let started = Mutex<[String]>([])
}

@Suite(.serialized) struct PlanConcurrencyTests {
    // MARK: The slots

    /// Two slots: two replications take them at once, a third waits until one is given back.
    @Test func aThirdReplicationWaitsForOneOfTwoSlots() async {
        let slots = ReplicationSlots(count: 2)
        await slots.acquire(priority: 0)
        await slots.acquire(priority: 0)
        #expect(await slots.waitingCount == 0)
        let third = Task {
            await slots.acquire(priority: 0)
            await slots.release()
        }
        while await slots.waitingCount == 0 { await Task.yield() }
        #expect(await slots.waitingCount == 1)
        await slots.release()
        await third.value
        #expect(await slots.waitingCount == 0)
        await slots.release()
    }

    /// Six pieces of work on one slot run one at a time, and all six are done. (With two slots
    /// the bound could not fail here: the cooperative pool of a 2-core machine runs at most two
    /// anyway; `aThirdReplicationWaitsForOneOfTwoSlots` checks two slots without timing.)
    @Test func noMoreReplicationsRunThanSlots() async {
        let slots = ReplicationSlots(count: 1)
        let tally = Tally()
        let done = await withTaskGroup(of: Int.self) { group in
            for index in 0..<6 {
                group.addTask {
                    await slots.run(priority: 0) {
                        let now = tally.running.withLock { $0 += 1; return $0 }
                        tally.most.withLock { $0 = max($0, now) }
                        Thread.sleep(forTimeInterval: 0.02)
                        tally.running.withLock { $0 -= 1 }
                        return index
                    }
                }
            }
            var done: [Int] = []
            for await index in group { done.append(index) }
            return done.sorted()
        }
        #expect(done == Array(0..<6))
        #expect(tally.most.withLock { $0 } == 1)
    }

    /// With the only slot taken, waiting replications start by priority, then in the order
    /// they asked: priorities 1, 5, 5, 3 asked in that order start as 5 (first), 5 (second), 3, 1.
    @Test func waitingReplicationsStartByPriorityThenInOrder() async {
        let slots = ReplicationSlots(count: 1)
        await slots.acquire(priority: 0)
        let tally = Tally()
        let waiters = [(1, "a"), (5, "b"), (5, "c"), (3, "d")]
        await withTaskGroup(of: Void.self) { group in
            for (priority, name) in waiters {
                group.addTask {
                    await slots.acquire(priority: priority)
                    tally.started.withLock { $0.append(name) }
                    await slots.release()
                }
                // Each waiter is queued before the next one asks.
                while await slots.waitingCount < 1 + waiters.firstIndex(where: { $0.1 == name })! {
                    await Task.yield()
                }
            }
            await slots.release()
        }
        #expect(tally.started.withLock { $0 } == ["b", "c", "d", "a"])
    }

    // MARK: Reusing the screening's replication

    /// A three-replication confirmation that reuses its screening's first replication reports
    /// exactly what a fresh three-replication run reports: the same summary.json, byte for byte.
    @Test func aConfirmationReusingItsScreeningMatchesAFreshRun() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("plan.yaml", PlanSearchTests.scenarioText)
        let plan = PlanRun(path: file, users: [1000], duration: "40s", warmup: "10s", threads: 2)
        let space = try #require(try plan.prepare().spaces.first)
        let c = space.upperBound
        let replications = TierReplications(slots: ReplicationSlots(count: 2), priority: 0)

        let screening = try plan.load(space, c, replications: 1)
        let first = await replications.results(of: c, screening.configuration)
        let confirmation = try plan.load(space, c, replications: 3)
        let reused = await replications.results(of: c, confirmation.configuration)
        #expect(first.count == 1 && reused.count == 3)
        let composed = RunReport.taskSystem(try TaskSystemReport(scenario: confirmation, results: reused))
        let fresh = try await RunReport.run(.taskSystem(confirmation), threads: 2)
        #expect(composed.summaryJSON.serialized() == fresh.summaryJSON.serialized())
    }

    // MARK: The plan does not depend on threads

    /// Two tiers planned with one thread (one replication at a time, tier after tier in effect)
    /// and with three (both tiers' searches and their seed rows at once): the same plan.json.
    @Test func thePlanIsTheSameWithAnyNumberOfThreads() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("plan.yaml", PlanSearchTests.scenarioText)
        var written: [String] = []
        for threads in [1, 3] {
            let folder = scratch.url.appendingPathComponent("plan-\(threads)").path
            let plan = PlanRun(path: file, users: [1000, 3000], duration: "40s", warmup: "10s", outputFolder: folder,
                               threads: threads, confirmationReplications: 2, maximumEvaluations: 5)
            _ = try await plan.execute(try plan.prepare())
            written.append(try String(contentsOfFile: folder + "/plan.json", encoding: .utf8))
        }
        #expect(written[0] == written[1])
        let tiers = try JSONValue(parsing: written[0]).value(at: "tiers")
        #expect(tiers?.array?.count == 2)
    }
}
