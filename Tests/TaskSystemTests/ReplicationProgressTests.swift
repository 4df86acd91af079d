import Synchronization
import Testing
import Sim
@testable import TaskSystem

// MARK: - Following a replication

@Suite struct ReplicationProgressTests {
    /// Reported in 200 steps to the end, with the engine's event count; the same metrics,
    /// series and timeline to the bit as a replication nobody follows.
    @Test func followingAReplicationReportsItsWayAndChangesNothing() {
        let configuration = TaskSystemSimulationTests.small()
        let reports = Mutex<[ReplicationProgress]>([])
        let followed = TaskSystemSimulation.runReplication(configuration, replication: 0) { progress in
            reports.withLock { $0.append(progress) }
        }
        let plain = TaskSystemSimulation.runReplication(configuration, replication: 0)
        #expect(followed.metrics.map { $0.value.bitPattern } == plain.metrics.map { $0.value.bitPattern })
        #expect(followed.metrics.map(\.name) == plain.metrics.map(\.name))
        #expect(followed.series.map(\.name) == plain.series.map(\.name))
        for (a, b) in zip(followed.series, plain.series) {
            #expect(a.windows.flatMap { $0.map(\.bitPattern) } == b.windows.flatMap { $0.map(\.bitPattern) }, "\(a.name)")
        }
        #expect(followed.timeline == plain.timeline)

        let seen = reports.withLock { $0 }
        // 300 s in steps of 1.5 s: 20 to the end of the 30 s warm-up, 180 after it.
        #expect(seen.count == 200)
        #expect(seen.allSatisfy { $0.replication == 0 && $0.duration == configuration.duration })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.simulated < $1.simulated && $0.events <= $1.events })
        #expect(seen.last?.finished == true && seen.dropLast().allSatisfy { !$0.finished })
        #expect(seen.last!.events > 10_000)
    }
}
