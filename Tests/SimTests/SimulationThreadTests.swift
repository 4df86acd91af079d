#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Sim

/// What one replication's processes saw: the thread each step ran on, and the log of steps.
private final class ThreadLog: @unchecked Sendable {
    var loopThread: pthread_t?
    var stepThreads: [pthread_t] = []
    var entries: [String] = []
}

/// One replication: `processes` processes sleeping in simulated time and spawning a child
/// each, run to the end; returns the log (steps and the threads they ran on).
private func replication(processes: Int) -> ThreadLog {
    let runtime = ProcessRuntime()
    let log = ThreadLog()
    for index in 0..<processes {
        runtime.spawn {
            for step in 0..<20 {
                try? await runtime.sleep(for: SimClock.time(seconds: Double((index * 7 + step) % 5 + 1)))
                log.stepThreads.append(pthread_self())
                log.entries.append("\(index).\(step)@\(runtime.now)")
            }
            runtime.spawn {
                try? await runtime.sleep(for: 1)
                log.stepThreads.append(pthread_self())
                log.entries.append("child of \(index)@\(runtime.now)")
            }
        }
    }
    log.loopThread = pthread_self()
    runtime.run(until: SimClock.time(seconds: 1_000))
    return log
}

@Suite struct SimulationThreadTests {
    /// On Linux the runtime exports the global-enqueue hook: processes carry no executor
    /// preference (the point of `SimulationThread`).
    @Test func theGlobalEnqueueHookIsInstalledOnLinux() {
        #if os(Linux)
        #expect(SimulationThread.isAvailable)
        #endif
    }

    /// Every step of every process, children included, runs on the thread that runs the
    /// simulation, and nothing is left running after it ends.
    @Test func processesRunOnTheSimulationsThread() {
        let log = replication(processes: 50)
        #expect(log.entries.count == 50 * 21)
        #expect(log.stepThreads.allSatisfy { pthread_equal($0, log.loopThread!) != 0 })
    }

    /// Replications running at once on several threads keep their own processes: each gives the
    /// same steps in the same order as when it runs alone.
    @Test func parallelReplicationsKeepTheirOwnJobs() async {
        let alone = replication(processes: 30).entries
        let logs = await ParallelReplications.run(count: 4, threads: 4) { _ in replication(processes: 30) }
        for log in logs {
            #expect(log.entries == alone)
            #expect(log.stepThreads.allSatisfy { pthread_equal($0, log.loopThread!) != 0 })
        }
    }
}
