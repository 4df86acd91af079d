// CeleryPrefetchTests.swift — `worker_prefetch_multiplier`: a worker whose children are all busy
// reserves (multiplier − 1) × concurrency more messages (acks_late: running ones count), and
// those wait for its own children even while another worker is idle; crashed workers' reserved
// messages are redelivered after the visibility timeout, retired workers' come back at once.
//
// Celery's documentation: "worker_prefetch_multiplier — How many messages to prefetch at a time
// multiplied by the number of concurrent processes. The default is 4 (four messages for each
// process). … if you have very long running tasks waiting in the queue and you have to start the
// workers, note that the first worker to start will receive four times the number of messages
// initially" (Configuration and defaults); "If you have many expensive tasks with a long
// duration you would want the multiplier value to be 1, which means it will only reserve one
// unacknowledged task per worker process at a time" (Optimizing, "Prefetch limits"); as of 4.0
// `-Ofair` is the default scheduling strategy (What's new in Celery 4.0): within a worker, the
// child that frees first takes the next reserved message.

import Sim
import Testing
@testable import TaskSystem

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

/// The job's number (the user id of a `sendEmail`).
private func number(_ job: Job) -> Int {
    if case .sendEmail(let user, _) = job { return user.rawValue }
    return -1
}

/// Starts and ends of the handler runs, in the order they happened.
private final class Runs: @unchecked Sendable {
    var starts: [Int: [SimTime]] = [:]
    var ends: [Int: SimTime] = [:]
    func startTimes(of job: Int) -> [SimTime] { starts[job] ?? [] }
}

/// `workers` `high` workers of one child each with `prefetch`, no scaler, 1 ms broker; other
/// queues unserved.
private func deployment(workers: Int, concurrency: Int = 1, prefetch: CeleryPrefetch) -> JobQueueConfiguration {
    JobQueueConfiguration(
        pools: CeleryWorkerPools(queues: [
            CeleryQueueConfiguration(name: "high", workers: workers, concurrency: concurrency, priority: 10,
                                     taskNames: [], prefetch: prefetch),
            CeleryQueueConfiguration(name: "default", workers: 0, concurrency: 1, priority: 5, taskNames: []),
            CeleryQueueConfiguration(name: "low", workers: 0, concurrency: 1, priority: 1, taskNames: []),
        ]),
        scaler: nil, brokerLatency: .constant(0.001))
}

/// A queue whose job n runs `duration(n)`, recording starts and ends.
private func queue(_ configuration: JobQueueConfiguration, runtime: ProcessRuntime, runs: Runs,
                   duration: @escaping @Sendable (Int) -> Double) -> SimulatedJobQueue {
    SimulatedJobQueue(runtime: runtime, configuration: configuration, streams: RandomStreamFactory(rootSeed: 3)) { job in
        let n = number(job)
        runs.starts[n, default: []].append(runtime.now)
        try await runtime.sleep(for: sec(duration(n)))
        runs.ends[n] = runtime.now
    }
}

private func publish(_ numbers: ClosedRange<Int>, on queue: SimulatedJobQueue) {
    for n in numbers { queue.publish(.sendEmail(to: UserID(n), about: TaskID(n))) }
}

@Suite struct CeleryPrefetchTests {
    /// Job 1 runs 100 s, jobs 2…10 run 10 s each, all published at 0 before the two workers
    /// (one child each) start. Multiplier 4: the first worker takes job 1 and reserves 2, 3, 4
    /// (4 × 1 unacknowledged messages); the second takes 5 and reserves 6, 7, 8; 9 and 10 stay in
    /// the broker (depth 2). The second worker runs 5, 6, 7 at 0, 10, 20 and refills with 9 and
    /// 10 as it goes: 8 at 30, 9 at 40, 10 at 50, done at 60 and idle from then on — while 2, 3, 4
    /// wait behind job 1 on the first worker: 100, 110, 120, done at 130. With multiplier 1 the
    /// second worker runs 2…10 back to back (done at 90) and the last job ends at 100.
    @Test func reservedJobsWaitBehindTheirWorkersLongJobWhileTheOtherWorkerIsIdle() {
        let runtime = ProcessRuntime()
        let runs = Runs()
        let jobs = queue(deployment(workers: 2, prefetch: .celeryDefault), runtime: runtime, runs: runs) { $0 == 1 ? 100 : 10 }
        publish(1...10, on: jobs)
        runtime.run(until: sec(1))
        var m = jobs.metrics(for: .high)
        #expect(m.pending == 2 && m.reserved == 6 && m.inFlight == 2)
        #expect(m.maxDepth == 10)  // all ten before the workers fetched
        #expect(jobs.conservationViolation() == nil)
        runtime.run(until: sec(61))
        m = jobs.metrics(for: .high)
        #expect(m.pending == 0 && m.reserved == 3 && m.inFlight == 1 && m.completed == 6)  // 5…10 done; 2, 3, 4 held
        #expect(m.consumers == 2)
        runtime.run(until: sec(200))
        let starts = (1...10).map { runs.startTimes(of: $0) }
        #expect(starts == [[0], [sec(100)], [sec(110)], [sec(120)], [0], [sec(10)], [sec(20)], [sec(30)], [sec(40)], [sec(50)]])
        #expect(runs.ends[4] == sec(130) && runs.ends[10] == sec(60))
        m = jobs.metrics(for: .high)
        #expect(m.completed == 10 && m.reserved == 0 && m.waitTime.max == 120)  // job 4: 0 → 120 s
        #expect(jobs.conservationViolation() == nil)
        runtime.shutdown()

        let fair = ProcessRuntime()
        let fairRuns = Runs()
        let unreserved = queue(deployment(workers: 2, prefetch: .none), runtime: fair, runs: fairRuns) { $0 == 1 ? 100 : 10 }
        publish(1...10, on: unreserved)
        fair.run(until: sec(200))
        #expect((2...10).map { fairRuns.startTimes(of: $0) } == (0...8).map { [sec(Double($0) * 10)] })
        #expect(fairRuns.ends[10] == sec(90) && unreserved.metrics(for: .high).reserved == 0)
        fair.shutdown()
    }

    /// Multiplier 0 ("keep consuming as many messages as it wants"): the first worker takes job 1
    /// and reserves every other job; the second worker never gets one. 2…10 run 100, 110, …, 180.
    @Test func anUnlimitedPrefetchLetsTheFirstWorkerTakeTheWholeQueue() {
        let runtime = ProcessRuntime()
        let runs = Runs()
        let jobs = queue(deployment(workers: 2, prefetch: CeleryPrefetch(multiplier: 0)), runtime: runtime, runs: runs) { $0 == 1 ? 100 : 10 }
        publish(1...10, on: jobs)
        runtime.run(until: sec(1))
        #expect(jobs.metrics(for: .high).reserved == 9 && jobs.metrics(for: .high).pending == 0)
        runtime.run(until: sec(300))
        #expect((2...10).map { runs.startTimes(of: $0) } == (0...8).map { [sec(100 + Double($0) * 10)] })
        runtime.shutdown()
    }

    /// Jobs arriving one by one while the workers (one child each, multiplier 2: one reserved
    /// each) are idle at 1 s: job 1 → the longest-idle child (worker 0), job 2 → worker 1's child;
    /// job 3 → worker 0's reservation (the first to ask), job 4 → worker 1's, job 5 → the broker.
    /// Job 1 runs 100 s, the others 10 s: worker 1 finishes 2 at 11, runs 4 and fetches 5, runs 5
    /// at 21; job 3 waits for worker 0 until 101.
    @Test func arrivalsGoToIdleChildrenThenToWorkersWithRoomInTurn() {
        let runtime = ProcessRuntime()
        let runs = Runs()
        let jobs = queue(deployment(workers: 2, prefetch: CeleryPrefetch(multiplier: 2)), runtime: runtime, runs: runs) { $0 == 1 ? 100 : 10 }
        runtime.run(until: sec(1))
        publish(1...5, on: jobs)
        let state = jobs.queues[JobQueueName.high.jobQueueIndex]
        #expect(state.workers.map { $0.reserved.map { number($0.job.job) } } == [[3], [4]])
        #expect(state.pending.map { number($0.job) } == [5])
        runtime.run(until: sec(200))
        #expect((1...5).map { runs.startTimes(of: $0) } == [[sec(1)], [sec(1)], [sec(101)], [sec(11)], [sec(21)]])
        runtime.shutdown()
    }

    /// One worker, one child, multiplier 3 (two reserved), visibility timeout 60 s, restart 100 s;
    /// four 20 s jobs published at 0. The child runs 1 and reserves 2, 3 (fetched at 0); at 20 it
    /// runs 2 and fetches 4; at 40 it runs 3. The worker crashes at 50: 3 (running, delivered at
    /// 0) is visible again at 60 and 4 (reserved, fetched at 20) at 80 — both redelivered to the
    /// consuming end, so 4 is ahead of 3; nobody takes them until the restart at 150: 4 runs
    /// 150–170, then 3 (reserved at 150) 170–190.
    @Test func aCrashedWorkersReservedJobsAreRedeliveredAfterTheVisibilityTimeoutFromTheirFetch() {
        let runtime = ProcessRuntime()
        let runs = Runs()
        var configuration = deployment(workers: 1, prefetch: CeleryPrefetch(multiplier: 3))
        configuration.visibilityTimeout = sec(60)
        configuration.workerFailures = WorkerFailures(meanTimeBetweenFailures: sec(1e9), restart: sec(100))
        let jobs = queue(configuration, runtime: runtime, runs: runs) { _ in 20 }
        publish(1...4, on: jobs)
        let state = jobs.queues[JobQueueName.high.jobQueueIndex]
        runtime.run(until: sec(50))
        jobs.crash(state.workers[0], in: state)
        var m = jobs.metrics(for: .high)
        #expect(m.unacknowledged == 2 && m.reserved == 0 && m.inFlight == 0 && m.completed == 2)
        #expect(jobs.conservationViolation() == nil)
        runtime.run(until: sec(100))
        #expect(state.pending.map { number($0.job) } == [4, 3])
        runtime.run(until: sec(300))
        #expect(runs.startTimes(of: 3) == [sec(40), sec(170)] && runs.startTimes(of: 4) == [sec(150)])
        m = jobs.metrics(for: .high)
        #expect(m.redelivered == 2 && m.completed == 4 && m.unacknowledged == 0)
        #expect(jobs.conservationViolation() == nil)
        runtime.shutdown()
    }

    /// Two workers, one child each, multiplier 3; seven 10 s jobs at 0: worker 0 runs 1 and
    /// reserves 2, 3; worker 1 runs 4 and reserves 5, 6; 7 stays in the broker. At 5 s a scale-in
    /// retires worker 1 (warm shutdown): 5 and 6 go back to the consuming end in their order
    /// (the broker's list is 5, 6, 7), worker 1 finishes 4 and leaves. Worker 0 runs 1, 2, 3, 5,
    /// 6, 7 at 0, 10, …, 50.
    @Test func aRetiredWorkerGivesItsReservedJobsBackAtOnceInOrder() {
        let runtime = ProcessRuntime()
        let runs = Runs()
        let jobs = queue(deployment(workers: 2, prefetch: CeleryPrefetch(multiplier: 3)), runtime: runtime, runs: runs) { _ in 10 }
        publish(1...7, on: jobs)
        runtime.run(until: sec(5))
        jobs.setWorkers(1, for: .high)
        let state = jobs.queues[JobQueueName.high.jobQueueIndex]
        #expect(state.pending.map { number($0.job) } == [5, 6, 7])
        #expect(jobs.metrics(for: .high).reserved == 2 && jobs.conservationViolation() == nil)
        runtime.run(until: sec(100))
        #expect([1, 2, 3, 5, 6, 7].map { runs.startTimes(of: $0) } == (0...5).map { [sec(Double($0) * 10)] })
        #expect(runs.startTimes(of: 4) == [0])
        #expect(jobs.metrics(for: .high).completed == 7 && jobs.metrics(for: .high).consumers == 1)
        runtime.shutdown()
    }

    /// The default is Celery's (4); a pool holds (multiplier − 1) × concurrency beyond what runs.
    @Test func theDefaultIsCeleryAndTheReservationIsMultiplierMinusOneTimesConcurrency() {
        #expect(CeleryWorkerPools.seed.queues.map(\.prefetch) == Array(repeating: CeleryPrefetch(multiplier: 4), count: 3))
        #expect(CeleryWorkerPools.seed.queues.map(\.reservedPerWorker) == [30, 15, 6])
        #expect(CeleryPrefetch.none.reservedBeyondRunning(concurrency: 10) == 0)
        #expect(CeleryPrefetch(multiplier: 0).reservedBeyondRunning(concurrency: 10) == Int.max)
    }
}
