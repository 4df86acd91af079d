// RedeliveryTests.swift — Celery with acks_late on Redis: a worker crash leaves the jobs its
// children held unacknowledged until the visibility timeout, then they are redelivered and run
// again; acknowledged jobs are not; the queue conserves jobs throughout.

import Sim
import Testing
@testable import TaskSystem

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

private final class Runs: @unchecked Sendable {
    var starts: [(job: Int, at: SimTime)] = []
}

/// One `high` worker with `concurrency` children, visibility timeout 100 s, restart 10 s, and
/// a mean time between failures so long that only the test's own crashes happen; no prefetch
/// (multiplier 1: the worker holds only what its children run; reserved jobs' redelivery is in
/// `CeleryPrefetchTests`).
private func deployment(concurrency: Int = 1) -> JobQueueConfiguration {
    var configuration = JobQueueConfiguration(
        pools: CeleryWorkerPools(queues: [
            CeleryQueueConfiguration(name: "high", workers: 1, concurrency: concurrency, priority: 10, taskNames: [],
                                     prefetch: .none),
            CeleryQueueConfiguration(name: "default", workers: 0, concurrency: 1, priority: 5, taskNames: []),
            CeleryQueueConfiguration(name: "low", workers: 0, concurrency: 1, priority: 1, taskNames: []),
        ]),
        scaler: nil, brokerLatency: .constant(0.001))
    configuration.visibilityTimeout = sec(100)
    configuration.workerFailures = WorkerFailures(meanTimeBetweenFailures: sec(1e7), restart: sec(10))
    return configuration
}

private func number(_ job: Job) -> Int {
    if case .sendEmail(let user, _) = job { return user.rawValue }
    return -1
}

@Suite struct RedeliveryTests {
    /// `count` jobs of 30 s each on the high queue's one child, whose worker crashes at 40 s
    /// (it restarts at 50 s); the runtime stands at 40 s.
    fileprivate func thirtySecondJobsWithACrashAt40s(count: Int) -> (ProcessRuntime, Runs, SimulatedJobQueue) {
        let runtime = ProcessRuntime()
        let runs = Runs()
        let queue = SimulatedJobQueue(runtime: runtime, configuration: deployment(),
                                      streams: RandomStreamFactory(rootSeed: 8)) { job in
            runs.starts.append((number(job), runtime.now))
            try await runtime.sleep(for: sec(30))
        }
        for n in 1...count { queue.publish(.sendEmail(to: UserID(n), about: TaskID(n))) }
        let state = queue.queues[JobQueueName.high.jobQueueIndex]
        runtime.run(until: sec(40))
        queue.crash(state.workers[0], in: state)
        return (runtime, runs, queue)
    }
    /// Two jobs on one child, 30 s each. Job 1 runs 0–30 s and is acknowledged; job 2 is taken
    /// at 30 s; the worker crashes at 40 s. Job 1 is not redelivered; job 2 is invisible until
    /// 30 + 100 = 130 s exactly, then redelivered to the restarted worker (up since 50 s) and
    /// run again from the start: 130–160 s. Each job counts once as completed; while job 2 is
    /// unacknowledged, conservation holds with it counted there, and a miscount is caught.
    @Test func aCrashedJobIsRedeliveredAfterExactlyTheVisibilityTimeoutAndAnAcknowledgedOneIsNot() {
        let (runtime, runs, queue) = thirtySecondJobsWithACrashAt40s(count: 2)
        runtime.run(until: sec(100))
        var m = queue.metrics(for: .high)
        #expect(m.workerCrashes == 1 && m.unacknowledged == 1 && m.inFlight == 0 && m.completed == 1)
        #expect(m.interruptedRuns == 1)  // job 2's first run, 10 s into its 30 s
        #expect(m.consumers == 1)  // restarted at 50 s
        #expect(queue.conservationViolation() == nil)
        runtime.run(until: sec(300))
        #expect(runs.starts.map(\.job) == [1, 2, 2])
        #expect(runs.starts.map(\.at) == [0, sec(30), sec(130)])
        m = queue.metrics(for: .high)
        #expect(m.redelivered == 1 && m.unacknowledged == 0 && m.completed == 2 && m.enqueued == 2)
        #expect(queue.conservationViolation() == nil)
        queue.queues[JobQueueName.high.jobQueueIndex].metrics.unacknowledged += 1
        #expect(queue.conservationViolation() != nil)
        runtime.shutdown()
    }

    /// kombu's Redis transport restores an unacknowledged message with `RPUSH`
    /// (`_do_restore_message`, `leftmost=False`) while consumers take with `BRPOP` from the same
    /// end: the redelivered job is taken next, ahead of the backlog (celery/kombu,
    /// kombu/transport/redis.py). Seven 30 s jobs on one child: 1 runs 0–30 s, 2 is taken at
    /// 30 s, the worker crashes at 40 s and is back at 50 s: 3 at 50, 4 at 80, 5 at 110. Job 2
    /// becomes visible at 130 s with 6 and 7 waiting; it runs at 140 s, before them (at the tail
    /// it would run after 7, at 200 s).
    @Test func aRedeliveredJobGoesToTheConsumingEnd() {
        let (runtime, runs, queue) = thirtySecondJobsWithACrashAt40s(count: 7)
        runtime.run(until: sec(400))
        #expect(runs.starts.map(\.job) == [1, 2, 3, 4, 5, 2, 6, 7])
        #expect(runs.starts.map(\.at) == [0, sec(30), sec(50), sec(80), sec(110), sec(140), sec(170), sec(200)])
        #expect(queue.conservationViolation() == nil)
        runtime.shutdown()
    }

    /// Random crashes (mean 200 s, restart 10 s) over 4 children and 300 jobs of 20 s with a
    /// short visibility timeout: many redeliveries, yet every job ends done exactly once per
    /// enqueue and the queue conserves at every check; same seed, same history.
    @Test func conservationHoldsAcrossRandomCrashes() {
        func run(seed: UInt64) -> (metrics: JobQueueMetrics, violations: Int) {
            let runtime = ProcessRuntime()
            var configuration = deployment(concurrency: 4)
            configuration.workerFailures = WorkerFailures(meanTimeBetweenFailures: sec(200), restart: sec(10))
            configuration.visibilityTimeout = sec(60)
            let queue = SimulatedJobQueue(runtime: runtime, configuration: configuration,
                                          streams: RandomStreamFactory(rootSeed: seed)) { _ in
                try await runtime.sleep(for: sec(20))
            }
            for n in 0..<300 { queue.publish(.sendEmail(to: UserID(n), about: TaskID(n))) }
            var violations = 0
            for minute in 1...200 {
                runtime.run(until: sec(Double(minute) * 60))
                if queue.conservationViolation() != nil { violations += 1 }
            }
            let metrics = queue.metrics(for: .high)
            runtime.shutdown()
            return (metrics, violations)
        }
        let first = run(seed: 1)
        #expect(first.violations == 0)
        #expect(first.metrics.workerCrashes > 10 && first.metrics.redelivered > 0)
        #expect(first.metrics.completed == 300 && first.metrics.deadLettered == 0)
        #expect(first.metrics.unacknowledged == 0 && first.metrics.inFlight == 0 && first.metrics.pending == 0)
        #expect(run(seed: 1).metrics == first.metrics)
    }
}
