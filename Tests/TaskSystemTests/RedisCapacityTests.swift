import Testing
import Sim
@testable import TaskSystem

// MARK: - Redis capacity (issue 11 item 6)

private func ms(_ value: Double) -> SimTime { SimClock.time(seconds: value / 1000) }

/// A cache with a constant network latency, the command thread's costs under test, and no node
/// limits unless asked.
private func redis(latency: Double, command: Double = 0, bandwidth: Double? = nil,
                   patternDelete: RedisPatternDelete = .keys, runtime: ProcessRuntime,
                   valueSize: @escaping @Sendable (CacheKey, CachedValue) -> Int? = { _, _ in nil })
    -> SimulatedSharedCache
{
    var configuration = SharedCacheConfiguration(latency: .constant(latency))
    configuration.node = nil
    configuration.commandTime = command
    configuration.bandwidth = bandwidth
    configuration.patternDelete = patternDelete
    return SimulatedSharedCache(runtime: runtime, configuration: configuration,
                                streams: RandomStreamFactory(rootSeed: 3), valueSize: valueSize)
}

/// Completion times of processes, read after the run.
private final class Times: @unchecked Sendable {
    var values: [SimTime] = []
}

@Suite struct RedisCapacityTests {
    /// "Redis is, mostly, a single-threaded server from the POV of commands execution"
    /// (https://redis.io/docs/latest/develop/reference/pipelining/ and the FAQ): commands
    /// wait for each other. Three `GET`s issued at t = 0, 1 ms of command time each, 1 ms of
    /// network: answered at 2, 3 and 4 ms (Lindley: the k-th ends at k ms on the thread).
    @Test func commandsQueueOnTheSingleThread() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0.001, command: 0.001, runtime: runtime)
        let times = Times()
        for _ in 0..<3 {
            runtime.spawn {
                _ = try? await cache.get(.user(1))
                times.values.append(runtime.now)
            }
        }
        runtime.run(until: ms(100))
        #expect(times.values == [ms(2), ms(3), ms(4)])
        #expect(abs(cache.commandThreadBusySeconds - 0.003) < 1e-12)
    }

    /// Offered faster than served: a `GET` every 0.5 ms (λ = 2,000/s) on a thread that serves
    /// one per ms (λs = 2). The k-th (from 0) is issued at 0.5k ms and ends at (k + 1) ms, so
    /// its response time is 1 + 0.5k ms: it grows without bound, by 0.5 ms per command (the
    /// backlog grows at λs − 1 = 1 s of work per second). The 101st waits 51 ms.
    @Test func responseTimeGrowsWithoutBoundWhenOfferedFasterThanServed() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0, command: 0.001, runtime: runtime)
        let response = Times()
        for k in 0..<101 {
            runtime.spawn {
                try? await runtime.sleep(for: ms(0.5 * Double(k)))
                let start = runtime.now
                _ = try? await cache.get(.user(k))
                response.values.append(runtime.now - start)
            }
        }
        runtime.run(until: sec(1))
        #expect(response.values.count == 101)
        #expect(response.values.first == ms(1) && response.values.last == ms(51))
        #expect(response.values == (0..<101).map { ms(1 + 0.5 * Double($0)) })
    }

    /// Large values travel at the node's bandwidth: a 50 KB task list (the seed's typical size)
    /// at 1 MB/s takes 50 ms on the wire, sent with the `SET` and returned with the `GET` hit;
    /// a miss returns nothing. At a constant 1 ms of network: 51, 51 and 1 ms.
    @Test func largeValuesTakeTheBandwidth() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0.001, bandwidth: 1_000_000, runtime: runtime)
        let elapsed = Times()
        runtime.spawn {
            var start = runtime.now
            try? await cache.set(.taskList(project: 1), .count(1), ttl: nil)
            elapsed.values.append(runtime.now - start)
            start = runtime.now
            _ = try? await cache.get(.taskList(project: 1))
            elapsed.values.append(runtime.now - start)
            start = runtime.now
            _ = try? await cache.get(.taskList(project: 2))
            elapsed.values.append(runtime.now - start)
        }
        runtime.run(until: sec(1))
        #expect(CacheFamilyTable.seed[.taskList].typicalBytes == 50 * 1024)
        #expect(elapsed.values == [ms(1 + 51.2), ms(1 + 51.2), ms(1)])
    }

    /// The seed's `invalidate_user_caches` calls `KEYS user:{id}:*`: O(N) in the keyspace,
    /// "a 1 million key database in 40 milliseconds" (https://redis.io/commands/keys/), and
    /// the thread serves nothing else meanwhile. 100,000 keys × 40 ns = 4 ms of thread; with
    /// 1 ms of network and the `DEL`'s round trip the invalidation takes 6 ms, and a `GET`
    /// issued at 0.5 ms waits until the `KEYS` is done (answered at 5 ms, not 1.5 ms).
    @Test func keysBlocksTheThreadForTheWholeKeyspace() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0.001, runtime: runtime)
        #expect(cache.warm((1...100_000).map { (CacheKey.user($0), CachedValue.count($0)) }) == 100_000)
        let times = Times()
        runtime.spawn {
            let removed = try? await cache.deleteAll(ownedBy: .user(7), families: CacheFamilies(.user))
            times.values.append(runtime.now)
            #expect(removed == 1)
        }
        runtime.spawn {
            try? await runtime.sleep(for: ms(0.5))
            _ = try? await cache.get(.user(8))
            times.values.append(runtime.now)
        }
        runtime.run(until: sec(1))
        #expect(times.values == [ms(5), ms(6)])
        #expect(cache.counters.keyScans == 1 && cache.counters.keysScanned == 100_000)
        #expect(cache.counters.patternInvalidations == 1)
    }

    /// Expired keys are not walked: Redis's active expiry reclaims them (modelled as prompt), so a
    /// `KEYS` six minutes after 100,000 profiles were cached for five walks nothing, and the
    /// invalidation costs its two round trips alone (2 ms), not 4 ms more.
    @Test func keysWalksOnlyLiveKeys() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0.001, runtime: runtime)
        #expect(cache.warm((1...100_000).map { (CacheKey.user($0), CachedValue.count($0)) }) == 100_000)
        let times = Times()
        runtime.spawn {
            try? await runtime.sleep(for: sec(360))
            _ = try? await cache.deleteAll(ownedBy: .user(7), families: CacheFamilies(.user))
            times.values.append(runtime.now)
        }
        runtime.run(until: sec(400))
        #expect(times.values == [sec(360) + ms(2)])
        #expect(cache.counters.keyScans == 1 && cache.counters.keysScanned == 0)
        #expect(cache.redis.count == 0)
    }

    /// `SCAN … COUNT 10` (Redis's default COUNT) instead: 1,000 keys take 100 round trips of
    /// 1 ms + 10 × 40 ns, then the `DEL`: 100 × 1.0004 + 1 = 101.04 ms.
    @Test func scanTakesARoundTripPerCountKeys() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0.001, patternDelete: .scan, runtime: runtime)
        #expect(cache.warm((1...1_000).map { (CacheKey.user($0), CachedValue.count($0)) }) == 1_000)
        let times = Times()
        runtime.spawn {
            _ = try? await cache.deleteAll(ownedBy: .user(7), families: CacheFamilies(.user))
            times.values.append(runtime.now)
        }
        runtime.run(until: sec(1))
        #expect(times.values == [ms(101.04)])
        #expect(cache.counters.keyScans == 100 && cache.counters.keysScanned == 1_000)
        #expect(!cache.redis.contains(.user(7), now: runtime.now) && cache.redis.contains(.user(8), now: runtime.now))
    }

    /// A server-side Lua script (`EVAL` of `SCAN` + `UNLINK`): one round trip, the walk still on
    /// the thread: 100,000 keys × 40 ns + 1 ms of network = 5 ms.
    @Test func aScriptDeletesInOneRoundTrip() {
        let runtime = ProcessRuntime()
        let cache = redis(latency: 0.001, patternDelete: .script, runtime: runtime)
        #expect(cache.warm((1...100_000).map { (CacheKey.user($0), CachedValue.count($0)) }) == 100_000)
        let times = Times()
        runtime.spawn {
            _ = try? await cache.deleteAll(ownedBy: .user(7), families: CacheFamilies(.user))
            times.values.append(runtime.now)
        }
        runtime.run(until: sec(1))
        #expect(times.values == [ms(5)])
        #expect(cache.counters.operations == 1 && cache.counters.keysScanned == 100_000)
    }

    /// The node type's memory: a cache.r6g.large has 13.07 GiB, of which ElastiCache's default
    /// `reserved-memory-percent` (25 %) is kept back, so `maxmemory` is 0.75 × 13.07 GiB =
    /// 10,525,354,229 bytes; its baseline bandwidth is 0.75 Gbit/s = 93,750,000 bytes/s
    /// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html).
    /// An explicit `max_memory` wins over the node's.
    @Test func theNodeTypeGivesMaxmemoryAndBandwidth() {
        let runtime = ProcessRuntime()
        let seed = SimulatedSharedCache(runtime: runtime, streams: RandomStreamFactory(rootSeed: 1))
        #expect(seed.configuration.node?.name == "cache.r6g.large")
        #expect(seed.redis.configuration.maxMemory == 10_525_354_229)
        #expect(seed.configuration.effectiveBandwidth == 93_750_000)
        var explicit = SharedCacheConfiguration()
        explicit.redis.maxMemory = 1_000_000
        #expect(SimulatedSharedCache(runtime: runtime, configuration: explicit, streams: RandomStreamFactory(rootSeed: 1))
            .redis.configuration.maxMemory == 1_000_000)
        // cache.t3.micro: 0.5 GiB × 0.75.
        var micro = SharedCacheConfiguration()
        micro.node = RedisNodeType(name: "cache.t3.micro", memoryGiB: 0.5, baselineGbps: 0.064)
        let small = SimulatedSharedCache(runtime: runtime, configuration: micro, streams: RandomStreamFactory(rootSeed: 1))
        #expect(small.redis.configuration.maxMemory == 402_653_184)
    }
}

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }
