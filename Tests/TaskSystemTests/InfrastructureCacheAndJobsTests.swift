// InfrastructureCacheAndJobsTests.swift — the simulated Redis cache (latency, TTL on simulated
// time, rate limits, pipelines, warming) and the simulated Celery queues (FIFO, separate pools,
// retries with full jitter, dead letters, conservation, depth statistics, child recycling,
// worker autoscaling), each driven on a real ProcessRuntime. Expected values are worked out in
// the comments.

import Sim
import Testing
@testable import TaskSystem

// MARK: - Helpers

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }
private func ms(_ value: Double) -> SimTime { SimClock.time(seconds: value / 1000) }

/// What processes recorded, read by the test afterwards (confined to the simulation's thread).
private final class Recorder<Value>: @unchecked Sendable {
    var values: [Value] = []
    func add(_ value: Value) { values.append(value) }
}

private struct HandlerFailure: Error {}

private let streams = RandomStreamFactory(rootSeed: 20_240_601)

/// `configuration` with the node's command thread and bandwidth off: an operation takes its
/// network latency and nothing else (the capacity model is tested in `RedisCapacityTests`).
private func networkOnly(_ configuration: SharedCacheConfiguration = .seed) -> SharedCacheConfiguration {
    var configuration = configuration
    configuration.node = nil
    configuration.commandTime = 0
    return configuration
}

/// An email job numbered `n` (on `high`).
private func email(_ n: Int) -> Job { .sendEmail(to: UserID(n), about: TaskID(n)) }

/// The number of a job made by ``email(_:)``, or of a report or cleanup job's project.
private func number(of job: Job) -> Int {
    switch job {
    case .sendEmail(let user, _), .sendPush(let user, _): user.rawValue
    case .generateReport(let project, _), .cleanup(let project): project.rawValue
    }
}

/// Pools with the given (workers, concurrency) per queue, without prefetch
/// (`worker_prefetch_multiplier = 1`: the hand-computed cases below are for jobs waiting in the
/// broker until a child is free; prefetch has its own tests in `CeleryPrefetchTests`).
private func pools(high: (Int, Int) = (1, 1), default dflt: (Int, Int) = (1, 1),
                   low: (Int, Int) = (1, 1)) -> CeleryWorkerPools {
    CeleryWorkerPools(queues: [
        CeleryQueueConfiguration(name: "high", workers: high.0, concurrency: high.1, priority: 10, taskNames: [], prefetch: .none),
        CeleryQueueConfiguration(name: "default", workers: dflt.0, concurrency: dflt.1, priority: 5, taskNames: [], prefetch: .none),
        CeleryQueueConfiguration(name: "low", workers: low.0, concurrency: low.1, priority: 1, taskNames: [], prefetch: .none),
    ])
}

/// A fixed deployment: no autoscaling, 1 ms broker latency.
private func fixed(_ pools: CeleryWorkerPools, retry: CeleryRetryPolicy = .seed,
                   recycling: WorkerChildRecycling = .seed()) -> JobQueueConfiguration {
    JobQueueConfiguration(pools: pools, retry: retry, recycling: recycling, scaler: nil,
                          brokerLatency: .constant(0.001))
}

// MARK: - Cache

@Suite struct InfrastructureCacheAndJobsTestsCache {
    /// Every kind of operation takes one draw of uniform 1–5 ms from `"cache.latency"`.
    @Test func eachOperationTakesOneLatencyDrawOfOneToFiveMilliseconds() {
        let runtime = ProcessRuntime()
        let cache = SimulatedSharedCache(runtime: runtime, configuration: networkOnly(), streams: streams)
        let elapsed = Recorder<SimTime>()
        runtime.spawn {
            for i in 0..<40 {
                let start = runtime.now
                switch i % 4 {
                case 0: try? await cache.set(.user(i), .count(i), ttl: nil)
                case 1: _ = try? await cache.get(.user(i - 1))
                case 2: _ = try? await cache.allowRequest(of: UserID(i))
                default: try? await cache.delete([.user(i - 3)])
                }
                elapsed.add(runtime.now - start)
            }
        }
        runtime.run(until: sec(10))
        var replica = streams.stream(named: "cache.latency")
        let expected = (0..<40).map { _ in
            SimClock.time(seconds: Distribution.uniform(low: 0.001, high: 0.005).sample(&replica))
        }
        #expect(elapsed.values == expected)
        #expect(elapsed.values.allSatisfy { $0 >= ms(1) && $0 <= ms(5) })
        #expect(Set(elapsed.values).count > 30)  // drawn, not constant
        #expect(cache.counters.operations == 40)
        #expect(cache.counters(for: .user).hits == 10)
    }

    /// `SETEX` with a 10 s TTL at time 0: a get at 5 s hits, a get at 20 s misses.
    @Test func setThenGetAfterTheTTLMisses() {
        let runtime = ProcessRuntime()
        let cache = SimulatedSharedCache(runtime: runtime, streams: streams)
        let results = Recorder<CachedValue?>()
        runtime.spawn {
            try? await cache.set(.user(1), .count(7), ttl: sec(10))
            try? await runtime.sleep(for: sec(5) - runtime.now)
            results.add(try? await cache.get(.user(1)))
            try? await runtime.sleep(for: sec(20) - runtime.now)
            results.add(try? await cache.get(.user(1)))
        }
        runtime.run(until: sec(30))
        #expect(results.values == [.count(7), nil])
        let user = cache.counters(for: .user)
        #expect(user.hits == 1 && user.misses == 1 && user.sets == 1 && user.expirations == 1)
    }

    /// Constant 2 ms latency: the set takes effect at 0.002 s, so the key lives until 10.002 s.
    /// A get sent at 9.999 s is answered at 10.001 s (hit); one sent at 10.000 s is answered at
    /// 10.002 s (miss). Effects apply when the reply is produced.
    @Test func effectsApplyWhenTheReplyIsProduced() {
        let runtime = ProcessRuntime()
        let cache = SimulatedSharedCache(runtime: runtime, configuration: networkOnly(SharedCacheConfiguration(latency: .constant(0.002))),
                                         streams: streams)
        let results = Recorder<Bool>()
        runtime.spawn {
            try? await cache.set(.project(3), .count(1), ttl: sec(10))
            try? await runtime.sleep(for: ms(9_999) - runtime.now)
            results.add((try? await cache.get(.project(3))) != nil)
        }
        runtime.spawn {
            try? await runtime.sleep(for: sec(10))
            results.add((try? await cache.get(.project(3))) != nil)
        }
        runtime.run(until: sec(11))
        #expect(results.values == [true, false])
    }

    /// Limit 5 per 60 s window: the 6th and 7th requests of user 7 are 429s; user 8 is
    /// unaffected; the next window allows user 7 again.
    @Test func rateLimiterRejectsAfterTheLimitInAWindow() {
        let runtime = ProcessRuntime()
        let cache = SimulatedSharedCache(runtime: runtime, configuration: SharedCacheConfiguration(rateLimit: 5),
                                         streams: streams)
        let decisions = Recorder<Bool>()
        runtime.spawn {
            for _ in 0..<7 { decisions.add((try? await cache.allowRequest(of: UserID(7))) ?? false) }
            decisions.add((try? await cache.allowRequest(of: UserID(8))) ?? false)
            try? await runtime.sleep(for: sec(61) - runtime.now)
            decisions.add((try? await cache.allowRequest(of: UserID(7))) ?? false)
        }
        runtime.run(until: sec(100))
        #expect(decisions.values == [true, true, true, true, true, false, false, true, true])
        #expect(cache.counters.rateLimited == 2 && cache.rateLimiter.counters.rejected == 2)
        #expect(cache.counters.rateLimitChecks == 9)
    }

    /// Deleting three keys is one pipelined round trip: 3 ms at a constant 3 ms, not 9 ms.
    @Test func pipelinedDeleteIsOneRoundTrip() {
        let runtime = ProcessRuntime()
        let cache = SimulatedSharedCache(runtime: runtime, configuration: networkOnly(SharedCacheConfiguration(latency: .constant(0.003))),
                                         streams: streams)
        let keys: [CacheKey] = [.user(1), .taskList(project: 2), .permissions(user: 1)]
        #expect(cache.warm(keys.map { ($0, CachedValue.count(0)) }) == 3)
        let elapsed = Recorder<SimTime>()
        runtime.spawn {
            try? await cache.delete(keys)
            elapsed.add(runtime.now)
        }
        runtime.run(until: sec(1))
        #expect(elapsed.values == [ms(3)])
        #expect(keys.allSatisfy { !cache.redis.contains($0, now: runtime.now) })
        #expect(cache.counters.deletes == 1 && cache.counters.keysDeleted == 3 && cache.counters.operations == 1)
    }

    /// Warming stores at time 0 without latency or round trips; the first reads then hit.
    @Test func warmingPopulatesWithoutLatency() {
        let runtime = ProcessRuntime()
        let cache = SimulatedSharedCache(runtime: runtime, streams: streams)
        let stored = cache.warm([(CacheKey.project(1), CachedValue.count(10)), (.project(2), .count(20))])
        #expect(stored == 2 && runtime.now == 0 && cache.counters.operations == 0)
        let results = Recorder<CachedValue?>()
        runtime.spawn { results.add(try? await cache.get(.project(2))) }
        runtime.run(until: sec(1))
        #expect(results.values == [.count(20)])
        #expect(cache.counters(for: .project).hits == 1)
    }
}

// MARK: - Jobs

@Suite struct InfrastructureCacheAndJobsTestsJobs {
    /// Two consumers on `high`; six jobs enqueued one after another while both are busy start
    /// in enqueue order.
    @Test func jobsRunFIFOWithinAQueue() {
        let runtime = ProcessRuntime()
        let started = Recorder<Int>()
        let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools(high: (1, 2))), streams: streams) { job in
            started.add(number(of: job))
            try await runtime.sleep(for: sec(1))
        }
        runtime.spawn {
            for n in [5, 3, 8, 1, 9, 2] { try? await queue.enqueue(email(n)) }
        }
        runtime.run(until: sec(10))
        #expect(started.values == [5, 3, 8, 1, 9, 2])
        let metrics = queue.metrics(for: .high)
        #expect(metrics.completed == 6 && metrics.maxDepth == 4 && metrics.waitTime.max > 0)
    }

    /// 50 cleanup jobs of 10 s each back up `low`; an email enqueued at 1 s starts after its
    /// 1 ms broker round trip on `high`'s own consumer and ends at 1.501 s.
    @Test func highPriorityJobDoesNotWaitBehindALowBacklog() {
        let runtime = ProcessRuntime()
        let finished = Recorder<(Int, SimTime)>()
        let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools()), streams: streams) { job in
            try await runtime.sleep(for: job.queue == .low ? sec(10) : ms(500))
            finished.add((number(of: job), runtime.now))
        }
        for n in 0..<50 { queue.publish(.cleanup(project: ProjectID(n))) }
        runtime.spawn {
            try? await runtime.sleep(for: sec(1))
            try? await queue.enqueue(email(1000))
        }
        runtime.run(until: sec(2))
        #expect(finished.values.map(\.0) == [1000])
        #expect(finished.values.map(\.1) == [ms(1501)])
        #expect(queue.metrics(for: .high).waitTime.max == 0)
        #expect(queue.metrics(for: .low).pending == 49)
    }

    /// Five always-failing jobs on ten idle consumers (no queueing): each runs 4 times; the gap
    /// before retry n+1 is a whole number of seconds in [0, min(600, 60·2ⁿ)]; then it is
    /// dead-lettered. Same seed, same gaps; another seed, other gaps.
    @Test func failingHandlerIsRetriedWithFullJitterThenDeadLettered() {
        func gaps(seed: UInt64, retry: CeleryRetryPolicy) -> (gaps: [[SimTime]], queue: SimulatedJobQueue) {
            let runtime = ProcessRuntime()
            let runs = Recorder<(Int, SimTime)>()
            let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools(high: (1, 10)), retry: retry),
                                          streams: RandomStreamFactory(rootSeed: seed)) { job in
                runs.add((number(of: job), runtime.now))
                throw HandlerFailure()
            }
            for n in 0..<5 { queue.publish(email(n)) }
            runtime.run(until: sec(10_000))
            let perJob = (0..<5).map { n in
                let times = runs.values.filter { $0.0 == n }.map(\.1)
                return zip(times.dropFirst(), times).map { $0 - $1 }
            }
            runtime.shutdown()
            return (perJob, queue)
        }

        let (seeded, queue) = gaps(seed: 42, retry: .seed)
        for jobGaps in seeded {
            #expect(jobGaps.count == 3)
            for (n, gap) in jobGaps.enumerated() {
                #expect(gap >= 0 && gap <= sec(Double(min(600, 60 << n))) && gap % sec(1) == 0)
            }
        }
        #expect(seeded.joined().contains { $0 < sec(30) })  // jittered, not the ceilings
        let metrics = queue.metrics(for: .high)
        #expect(metrics.retried == 15 && metrics.deadLettered == 5 && metrics.completed == 0)
        #expect(queue.deadLetters.map(\.executions) == [4, 4, 4, 4, 4])
        #expect(Set(queue.deadLetters.map { number(of: $0.job) }) == Set(0..<5))
        #expect(queue.conservationViolation() == nil)

        #expect(gaps(seed: 42, retry: .seed).gaps == seeded)
        #expect(gaps(seed: 43, retry: .seed).gaps != seeded)

        // Five retries reach the cap: 60·2⁴ = 960 > 600.
        let capped = CeleryRetryPolicy(maxRetries: 5, countdown: .exponentialBackoff(factorSeconds: 60, maximumSeconds: 600,
                                                                                        fullJitter: true))
        let (longer, _) = gaps(seed: 42, retry: capped)
        #expect(longer.allSatisfy { $0.count == 5 && $0[4] <= sec(600) && $0[3] <= sec(480) })
    }

    /// One consumer on `default`, 10 s jobs, every third execution failing; at 100 s some jobs
    /// are queued, one is running, some wait to retry: everything is accounted for, also after
    /// the run ends; a miscount is reported.
    @Test func conservationHoldsWithJobsStillQueued() {
        let runtime = ProcessRuntime()
        let executions = Recorder<Int>()
        let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools()), streams: streams) { _ in
            executions.add(executions.values.count)
            try await runtime.sleep(for: sec(10))
            if executions.values.count % 3 == 0 { throw HandlerFailure() }
        }
        for n in 0..<30 { queue.publish(.generateReport(project: ProjectID(n), requestedBy: UserID(1))) }
        runtime.run(until: sec(100))
        let m = queue.metrics(for: .default)
        #expect(m.enqueued == 30 && m.inFlight == 1 && m.pending > 0 && m.retried > 0)
        #expect(m.completed + m.deadLettered + m.pending + m.inFlight + m.waitingToRetry == 30)
        #expect(queue.conservationViolation() == nil)
        runtime.shutdown()
        #expect(queue.conservationViolation() == nil)
        queue.queues[JobQueueName.default.jobQueueIndex].metrics.completed += 1
        #expect(queue.conservationViolation() != nil)
    }

    /// 100 jobs reach a 2-consumer pool at 0.001 s (1 ms broker latency); jobs take 1 s. Two are
    /// handed over at once, so the depth peaks at 98 and falls by 2 every second: 98 on
    /// [0.001, 1.001), 96 on [1.001, 2.001), …, 2 on [48.001, 49.001). Area 2·(1 + … + 49) =
    /// 2,450 job·s, so the mean depth over 100 s is 24.5. Jobs 2k+1 and 2k+2 wait k s (mean 24.5,
    /// max 49); the last ends at 50.001 s.
    @Test func queueDepthOfABurstOf100OnTwoConsumers() {
        let runtime = ProcessRuntime()
        let ends = Recorder<SimTime>()
        let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools(default: (1, 2))), streams: streams) { _ in
            try await runtime.sleep(for: sec(1))
            ends.add(runtime.now)
        }
        for n in 0..<100 {
            runtime.spawn { try? await queue.enqueue(.generateReport(project: ProjectID(n), requestedBy: UserID(1))) }
        }
        runtime.run(until: sec(100))
        let m = queue.metrics(for: .default)
        #expect(m.maxDepth == 98)
        #expect(abs(m.meanDepth(at: runtime.now) - 24.5) < 1e-9)
        #expect(m.waitTime.count == 100 && abs(m.waitTime.mean - 24.5) < 1e-9 && m.waitTime.max == 49)
        #expect(m.completed == 100 && ends.values.last == ms(50_001))
        #expect(queue.conservationViolation() == nil)
    }

    /// Max 2 tasks per child, 10 s restart: three 1 s jobs on one consumer end at 1, 2 and 13 s.
    @Test func childRecyclingPaysTheRestartCost() {
        let runtime = ProcessRuntime()
        let ends = Recorder<SimTime>()
        let recycling = WorkerChildRecycling(maxTasksPerChild: 2, restartCost: sec(10))
        let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools(), recycling: recycling),
                                      streams: streams) { _ in
            try await runtime.sleep(for: sec(1))
            ends.add(runtime.now)
        }
        for n in 0..<3 { queue.publish(email(n)) }
        runtime.run(until: sec(20))
        #expect(ends.values == [sec(1), sec(2), sec(13)])
        #expect(queue.metrics(for: .high).childRestarts == 1)
    }

    /// The seed's scaler every 60 s. `high` (2 workers × 1) holds 1,100 long jobs: depth 1,098 >
    /// 1,000 at 60 s → 4 workers (depth 1,096), still > 1,000 at 120 s → 8. The empty `default`
    /// (8) and `low` (4) halve at 60 s to 4 and 2; at 120 s `default` halves to 2 and `low`
    /// stays at the floor of 2. Retired idle consumers leave at once.
    @Test func workerScalerDoublesWorkersWhenDepthExceeds1000() {
        let runtime = ProcessRuntime()
        var configuration = fixed(pools(high: (2, 1), default: (8, 1), low: (4, 1)))
        configuration.scaler = .seed
        configuration.workerStartDelay = 0  // instant workers: the scaler's arithmetic alone
        let queue = SimulatedJobQueue(runtime: runtime, configuration: configuration, streams: streams) { _ in
            try await runtime.sleep(for: sec(100_000))
        }
        for n in 0..<1100 { queue.publish(email(n)) }
        runtime.run(until: sec(61))
        #expect(queue.metrics(for: .high).activeWorkers == 4 && queue.metrics(for: .high).consumers == 4)
        #expect(queue.metrics(for: .high).pending == 1096)
        #expect(queue.metrics(for: .default).consumers == 4 && queue.metrics(for: .low).consumers == 2)
        runtime.run(until: sec(121))
        #expect(queue.metrics(for: .high).activeWorkers == 8 && queue.metrics(for: .high).pending == 1092)
        #expect(queue.scalingEvents == [
            WorkerScalingEvent(time: sec(60), queue: .high, depth: 1098, from: 2, to: 4),
            WorkerScalingEvent(time: sec(60), queue: .default, depth: 0, from: 8, to: 4),
            WorkerScalingEvent(time: sec(60), queue: .low, depth: 0, from: 4, to: 2),
            WorkerScalingEvent(time: sec(120), queue: .high, depth: 1096, from: 4, to: 8),
            WorkerScalingEvent(time: sec(120), queue: .default, depth: 0, from: 4, to: 2),
        ])
        // Worker-seconds of `high`: 2·60 + 4·60 + 8·1 = 368 over 121 s.
        #expect(abs(queue.metrics(for: .high).workers.mean(at: 121) - 368.0 / 121.0) < 1e-9)
        #expect(queue.conservationViolation() == nil)
        runtime.shutdown()
    }

    /// The seed's scaler raises an ECS service's `desiredCount`: a new worker is a Fargate task,
    /// and "it is normal for new AWS Fargate tasks to take 30-45 seconds or longer to start"
    /// (AWS re:Post, "How to speed up provisioning of ECS Fargate task"). With the default 45 s,
    /// the two workers added at 60 s take their first jobs at 105 s, not at 60 s.
    @Test func workersAddedByTheScalerBootFor45SecondsBeforeTakingJobs() {
        #expect(JobQueueConfiguration.seed.workerStartDelay == sec(45))
        let runtime = ProcessRuntime()
        var configuration = fixed(pools(high: (2, 1), default: (2, 1), low: (2, 1)))
        configuration.scaler = .seed
        let queue = SimulatedJobQueue(runtime: runtime, configuration: configuration, streams: streams) { _ in
            try await runtime.sleep(for: sec(100_000))
        }
        for n in 0..<1100 { queue.publish(email(n)) }
        runtime.run(until: sec(61))
        #expect(queue.metrics(for: .high).activeWorkers == 4 && queue.metrics(for: .high).pending == 1098)
        runtime.run(until: sec(104.9))
        #expect(queue.metrics(for: .high).pending == 1098)
        runtime.run(until: sec(105.1))
        #expect(queue.metrics(for: .high).pending == 1096)
        #expect(queue.conservationViolation() == nil)
        runtime.shutdown()
    }
}

// MARK: - A pool per worker process

/// Celery's prefork pool forks its children from the worker, and each child's copy of the app's
/// `Engine` then has its own `QueuePool`: pooled connections are never shared across processes
/// (SQLAlchemy, "Using Connection Pools with Multiprocessing or os.fork()": a pool's connections
/// must not be shared with a forked process; each process uses its own). So every pool child
/// runs its jobs on its own engine and pool, never waiting on another child's connections.
@Suite struct WorkerProcessPoolTests {
    @Test func everyPoolChildGetsItsOwnHandlerOnceAndRunsItsJobsWithIt() {
        let runtime = ProcessRuntime()
        let made = Outbox<Int>(), ran = Outbox<Int>()
        let queue = SimulatedJobQueue(runtime: runtime, configuration: fixed(pools(high: (2, 2), default: (1, 1), low: (1, 1))),
                                      streams: streams) { process in
            made.add(process)
            return { _ in
                ran.add(process)
                try await runtime.sleep(for: sec(10))
            }
        }
        for n in 0..<4 { queue.publish(email(n)) }
        runtime.run(until: sec(5))
        // 2 × 2 + 1 + 1 children, each made once, in start order; the four `high` children each
        // took one job at once, with their own handler.
        #expect(made.values == Array(0..<6) && queue.processesStarted == 6)
        #expect(ran.values.sorted() == [0, 1, 2, 3])
        runtime.shutdown()
    }

    @Test func theWorldGivesEachWorkerProcessItsOwnDatabaseClient() {
        // The seed's pools: high 4 × 10, default 8 × 5, low 4 × 2 = 88 children, each with its
        // own primary-engine pool at start, beside the two API instances' (no query has run).
        let world = TaskSystemWorld.build(TaskSystemConfiguration(workload: WorkloadConfiguration(load: .constant(users: 0))),
                                          replication: 0)
        #expect(world.jobs.processesStarted == 88)
        #expect(world.database.allClientPools.count == 2 + 88)
        world.runtime.shutdown()
    }
}
