import Testing
import Sim
@testable import TaskSystem

// MARK: - The event timeline

@Suite struct TimelineTests {
    @Test func scalingDecisionsAreRecordedOnChangeNotEveryEvaluation() {
        func keep(_ reason: ScalingReason) -> ScalingDecision { .hold(2, reason: reason) }
        let sequence: [ScalingDecision] = [
            keep(.withinTolerance), keep(.atMinimum), keep(.atMinimum), keep(.atMinimum),
            ScalingDecision(previousCapacity: 2, desiredCapacity: 3, reason: .policy("cpu")),
            keep(.withinTolerance), keep(.stabilizationWindow), keep(.stabilizationWindow), keep(.withinTolerance),
        ]
        var last: ScalingReason? = .withinTolerance
        let recorded = sequence.map { $0.isWorthRecording(after: &last) }
        // The first steady state is not news; each change of reason and every change of capacity is.
        #expect(recorded == [false, true, false, false, true, true, true, false, true])
    }

    @Test func theCapKeepsTheFirstEventsAndCountsTheRest() {
        var timeline = Timeline(capacity: 2)
        for second in 0..<5 {
            timeline.record(TimelineEvent(time: seconds(Double(second)), component: .api, kind: "k\(second)"))
        }
        #expect(timeline.events.map(\.kind) == ["k0", "k1"])
        #expect(timeline.dropped == 3)
    }

    @Test func mergingKeepsTimeOrderAndPutsTheWorldFirstAtTies() {
        var world = Timeline()
        world.record(TimelineEvent(time: seconds(1), component: .api, kind: "a"))
        world.record(TimelineEvent(time: seconds(3), component: .api, kind: "c"))
        let merged = world.merged(with: [TimelineEvent(time: seconds(0), component: .database, kind: "z"),
                                         TimelineEvent(time: seconds(3), component: .database, kind: "d")])
        #expect(merged.events.map(\.kind) == ["z", "a", "c", "d"])
    }

    @Test func aCrashAndItsReplacementAreOnTheTimelineWithTheirNumbers() {
        var configuration = TaskSystemSimulationTests.small()
        configuration.api.instances = 3
        configuration.api.failures = InstanceFailures(at: [seconds(100)])
        configuration.api.startupDelay = seconds(60)
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let events = result.timeline.events
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(events.prefix(3).map(\.kind) == ["instance-launched", "instance-launched", "instance-launched"])
        let crash = events.first { $0.kind == "instance-crashed" }
        #expect(crash?.time == seconds(100) && crash?.component == .faults)
        #expect(crash?.reason.contains("request(s) in flight answered 502") == true)
        let replacement = events.first { $0.kind == "instance-launched" && $0.time == seconds(100) }
        #expect(replacement?.reason.contains("start-up") == true)
        #expect(events.contains { $0.kind == "instance-in-service" && $0.time == seconds(160) })
        #expect(events.contains { $0.kind == "crash-detected" && $0.time > seconds(100) })
        #expect(result.timeline.dropped == 0)
    }

    @Test func scalingDecisionsCarryTheirReasonAndMetrics() {
        // LoadAndScalingTests' saturated tier: about 2 CPUs of work on 2 instances.
        let configuration = saturatedTier(duration: seconds(300))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let decisions = result.timeline.events.filter { $0.kind == "scaling-decision" }
        let scaleOut = decisions.first { Int($0.to)! > Int($0.from)! }
        #expect(scaleOut != nil, "\(decisions)")
        #expect(scaleOut?.component == .autoscaler)
        #expect(scaleOut?.reason.contains("CPU") == true && scaleOut?.reason.contains("requests/min") == true)
    }
}
