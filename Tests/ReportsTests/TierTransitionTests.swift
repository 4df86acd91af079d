// TierTransitionTests.swift — judging a tier's transition on a run's own series and timeline,
// on summaries built by hand, and the load profile's boundary times.

import Foundation
import Testing
@testable import Reports
import Scenarios
import Sim
import TaskSystem

@Suite struct TierTransitionTests {
    /// A summary of 30 one-minute windows whose p95 is 0.2 s except `slow` windows (0.8 s), with
    /// one database tier order and the events that complete it.
    func summary(orderAt order: Double, completeAt complete: Double, slow: ClosedRange<Int>) -> JSONValue {
        let p95 = (0..<30).map { slow.contains($0) ? JSONValue.number(0.8) : .number(0.2) }
        return .object([
            ("series", .object([
                ("window_seconds", .int(60)),
                ("window_start_seconds", .array((0..<30).map { .int($0 * 60) })),
                ("metrics", .object([("api.latency", .object([("p95", .object([("mean", .array(p95))]))]))])),
            ])),
            ("events", .object([("replication_1", .array([
                .object([("at", .number(order)), ("component", .string("database")), ("kind", .string("tier")),
                         ("reason", .string("tier 1: db.r5.xlarge + 2× db.r5.large from 10000 users"))]),
                .object([("at", .number(order)), ("component", .string("database")), ("kind", .string("provisioning")),
                         ("reason", .string("replica 0 (db.r5.large)"))]),
                .object([("at", .number(complete)), ("component", .string("database")), ("kind", .string("replica-in-service")),
                         ("reason", .string("replica 0"))]),
            ]))])),
        ])
    }

    let verdicts = [KPIVerdict(kpi: try! KPI(parsing: "p95(api.latency) < 500ms"), key: "metrics.api.latency.p95", value: 0.3)]

    /// Ordered at 5:00, ahead of the boundary at 8:00, and complete at 15:00: the stretch is
    /// [5:00, 16:00), the slow windows 10:00–14:00 lie inside it, so the transition fails at 0.8 s.
    @Test func aSlowWindowInsideTheTransitionFailsIt() {
        let transitions = TierTransition.transitions(summary: summary(orderAt: 300, completeAt: 900, slow: 10...13),
                                                     verdicts: verdicts, boundaries: [1: 480])
        #expect(transitions == [TierTransition(tier: 1, ordered: 300, boundary: 480, completed: 900, judgements: [
            .init(expression: "p95(api.latency) < 500ms", worst: 0.8, held: false),
        ])])
    }

    /// The same slow windows after the stretch [1:00, 9:20): the transition holds at 0.2 s.
    @Test func slowWindowsOutsideTheTransitionDoNotCount() {
        let transitions = TierTransition.transitions(summary: summary(orderAt: 60, completeAt: 500, slow: 10...13),
                                                     verdicts: verdicts, boundaries: [1: 480])
        #expect(transitions.map(\.held) == [true])
        #expect(transitions.first?.judgements.first?.worst == 0.2)
        // A reactive order after the boundary: the stretch starts at the boundary (8:00), so the
        // slow window 9:00 counts although it comes before the order at 9:30.
        let late = TierTransition.transitions(summary: summary(orderAt: 570, completeAt: 1_200, slow: 9...9),
                                              verdicts: verdicts, boundaries: [1: 480])
        #expect(late.map(\.held) == [false])
    }

    @Test func theStudyNamesTheLatestOrderThatHeld() {
        let held = TierTransition(tier: 1, ordered: 60, boundary: 480, completed: 500,
                                  judgements: [.init(expression: "x", worst: 0.2, held: true)])
        let failed = TierTransition(tier: 1, ordered: 480, boundary: 480, completed: 1_080,
                                    judgements: [.init(expression: "x", worst: 0.8, held: false)])
        let study = TransitionStudy(fractions: [1, 0.8, 0.5], runs: [
            .init(fraction: 1, transitions: [failed]), .init(fraction: 0.8, transitions: [held]),
            .init(fraction: 0.5, transitions: [held]),
        ])
        #expect(study.latestHoldingFraction(tier: 1) == 0.8)
        #expect(study.latestHoldingFraction(tier: 2) == nil)
        #expect(study.markdown.contains("- Tier 1 must be ordered by 80 % of its boundary."))
    }

    /// A ramp from 100 to 2,000 active users over 20 minutes from 0: with 10 registered users per
    /// active one, 10,000 users (1,000 active) are reached at 900/1,900 × 1,200 s = 568.4 s, so
    /// at the first whole second 569.
    @Test func boundariesComeFromTheLoadProfile() {
        var configuration = TaskSystemConfiguration()
        configuration.duration = 1_800 * SimClock.nanosecondsPerSecond
        configuration.workload.load = .ramp(from: 100, to: 2_000, start: 0, over: 1_200 * SimClock.nanosecondsPerSecond)
        configuration.database.tiers = DatabaseTier.seed
        let boundaries = TransitionStudy.boundaries(of: configuration)
        #expect(boundaries[1] == 569)
        #expect(boundaries[2] == nil)  // 50,000 users are never reached
    }

    /// The study end to end on a small ramp (20 → 120 active users over 4 minutes from 0:30)
    /// whose second tier (a replica) starts at 600 registered users, 60 active: the load reaches
    /// it at 2:05 (the profile rounds 20 + 100 × 95/240 = 59.6 to 60). Ordered at 100 % the tier comes at the first minute
    /// check at or after that; at 50 % (30 active, at 0:54) at an earlier check.
    @Test func theStudyRunsTheScenarioAtEachFraction() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("ramp.yaml", """
            kind: task-system
            name: ramp-tiers
            seed: 6
            duration: 5m
            warmup: 30s
            replications: 1
            users: {registered: 600, think: {distribution: exponential, mean: 2s}}
            load: {profile: ramp, from: 20, to: 120, start: 30s, over: 4m}
            database:
              tiers: [{users: 0, primary: db.r5.large}, {users: 600, primary: db.r5.large, replicas: 1}]
              provisioning: 1m
            kpis:
              - "p95(api.latency) < 500ms"
            """)
        let plan = PlanRun(path: file, users: [600], threads: 1, confirmationReplications: 1)
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: file) else { return }
        let study = try #require(try await plan.transitionStudy(fractions: [1, 0.5], scenario: scenario))
        let boundary = try #require(TransitionStudy.boundaries(of: scenario.configuration)[1])
        #expect(boundary == 125)
        let reactive = try #require(study.runs[0].transitions.first)
        let early = try #require(study.runs[1].transitions.first)
        // Orders come at minute checks: reactively the first at or after the boundary, at 50 %
        // the first at or after the load reached 30 active users.
        #expect(reactive.ordered == (boundary / 60).rounded(.up) * 60)
        #expect(early.ordered < reactive.ordered)
        // Each transition ends when its replica is in service: a minute of provisioning, then catching up.
        let reactiveDone = try #require(reactive.completed)
        #expect(reactiveDone >= reactive.ordered + 60)
        #expect(reactive.judgements.map(\.expression) == ["p95(api.latency) < 500ms"])
        #expect(study.json.member("tiers")?.array?.count == 1)
    }
}
