// SharedCacheReplySizeTests.swift — a `GET`'s reply size, which the node's bandwidth turns into
// command-thread time: the typical size of the key's family when the key holds a value, nothing
// when it is absent or a counter; the same with no size closure (the simulator's case, where
// the value is not copied out to be sized) as with one that always answers nil.

import Testing
import Sim
@testable import TaskSystem

private func ms(_ value: Double) -> SimTime { SimClock.time(seconds: value / 1000) }

/// Bytes per second of the test node: 1 MB/s, so 1 byte costs 1 µs of the command thread.
private let bandwidth = 1_000_000.0

private func cache(runtime: ProcessRuntime, valueSize: (@Sendable (CacheKey, CachedValue) -> Int?)?)
    -> SimulatedSharedCache
{
    var configuration = SharedCacheConfiguration(latency: .constant(0.001))
    configuration.node = nil
    configuration.commandTime = 0
    configuration.bandwidth = bandwidth
    return SimulatedSharedCache(runtime: runtime, configuration: configuration,
                                streams: RandomStreamFactory(rootSeed: 3), valueSize: valueSize)
}

/// How long each operation of one client took, in order: `GET` of an absent key, `SET` of it,
/// `GET` of it, a rate-limit check (an `INCR` counter), `GET` of that counter.
private func durations(valueSize: (@Sendable (CacheKey, CachedValue) -> Int?)?) -> [SimTime] {
    let runtime = ProcessRuntime()
    let redis = cache(runtime: runtime, valueSize: valueSize)
    final class Log: @unchecked Sendable { var values: [SimTime] = [] }
    let log = Log()
    runtime.spawn {
        var last = runtime.now
        func lap() {
            log.values.append(runtime.now - last)
            last = runtime.now
        }
        let key = CacheKey.userTaskCount(user: 1)
        _ = try? await redis.get(key)
        lap()
        try? await redis.set(key, .count(5), ttl: nil)
        lap()
        _ = try? await redis.get(key)
        lap()
        _ = try? await redis.allowRequest(of: UserID(1))
        lap()
        _ = try? await redis.get(.rateLimit(user: 1, window: 0))
        lap()
    }
    runtime.run(until: ms(100))
    runtime.shutdown()
    return log.values
}

@Suite struct SharedCacheReplySizeTests {
    /// The family's typical size (`user_task_count`) at 1 µs a byte on top of 1 ms of network
    /// for the `SET` and the `GET` that finds the value; 1 ms alone for the `GET` of an absent
    /// key, the `INCR` and the `GET` of a counter (a wrong-type reply carries no value).
    @Test func replySizeIsTheFamilysTypicalSizeWhenTheKeyHoldsAValue() {
        let typical = SharedCacheConfiguration().redis.families[.userTaskCount].typicalBytes
        #expect(typical > 0)
        let withValue = ms(1) + SimClock.time(seconds: Double(typical) / bandwidth)
        let expected = [ms(1), withValue, withValue, ms(1), ms(1)]
        #expect(durations(valueSize: nil) == expected)
        #expect(durations(valueSize: { _, _ in nil }) == expected)
    }

    /// A size closure's answer is what the `GET` and the `SET` carry.
    @Test func aSizeClosureSizesTheValue() {
        let withValue = ms(1) + SimClock.time(seconds: 500 / bandwidth)
        #expect(durations(valueSize: { _, _ in 500 }) == [ms(1), withValue, withValue, ms(1), ms(1)])
    }
}
