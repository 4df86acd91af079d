// CacheTests.swift — the L1 LRU cache, cache keys and the seed's TTL table, the Redis model
// (TTL, memory limit and eviction policies, pattern deletion, counters) and the rate limiter.
// All times are simulated; expected values are worked out in the comments.

import Sim
import Testing
@testable import TaskSystem

private let second = SimClock.nanosecondsPerSecond
private let minute = 60 * second

/// A tiny deterministic generator for operation sequences (64-bit LCG, Knuth's MMIX constants).
private struct LCG {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// Plain integers as cache keys for these tests (the simulator's keys are ``CacheKey`` and
/// ``EdgeKey``); negative ones pack to their bit pattern.
extension Int: PackedKey {
    public var packed: UInt64 { UInt64(bitPattern: Int64(self)) }
}

// MARK: - LRU cache

@Suite struct CacheTestsLRU {
    @Test func evictsTheLeastRecentlyUsedAndGetRefreshesRecency() {
        let (a, b, c, d, e) = (1, 2, 3, 4, 5)
        var cache = LRUCache<Int, Int>(capacity: 3)
        cache.set(a, 1, now: 0)
        cache.set(b, 2, now: 0)
        cache.set(c, 3, now: 0)
        #expect(cache.get(a, now: 1) == 1)        // recency now a, c, b
        let evicted = cache.set(d, 4, now: 2)     // b is least recently used
        #expect(evicted?.key == b && evicted?.value == 2)
        #expect(cache.keysByRecency == [d, a, c])
        cache.set(c, 30, now: 3)                  // an update refreshes too: c, d, a
        #expect(cache.set(e, 5, now: 4)?.key == a)
        #expect(cache.keysByRecency == [e, c, d])
        #expect(cache.get(b, now: 5) == nil)
        #expect(cache.counters == { var c = CacheCounters(); c.hits = 1; c.misses = 1; c.evictions = 2; return c }())
    }

    @Test func capacityOf1000HoldsExactly1000() {
        var cache = LRUCache<Int, Int>(capacity: 1000)
        for i in 0..<1000 { #expect(cache.set(i, i, now: 0) == nil) }
        #expect(cache.count == 1000)
        #expect((0..<1000).allSatisfy { cache.contains($0, now: 0) })
        #expect(cache.set(1000, 1000, now: 0)?.key == 0)   // the 1001st evicts the oldest
        #expect(cache.count == 1000)
        #expect(!cache.contains(0, now: 0) && cache.contains(1000, now: 0))
        #expect(cache.counters.evictions == 1)
    }

    @Test func ttlExpiresInSimulatedTime() {
        let ttl = 5 * second
        var cache = LRUCache<Int, String>(capacity: 10)
        cache.set(1, "x", now: 10, ttl: ttl)            // expires at 10 + 5 s
        #expect(cache.get(1, now: 10 + ttl - 1) == "x")
        #expect(cache.get(1, now: 10 + ttl) == nil)
        #expect(cache.count == 0)                         // removed lazily by the lookup
        #expect(cache.counters.expirations == 1 && cache.counters.hits == 1 && cache.counters.misses == 1)

        var defaulted = LRUCache<Int, String>(capacity: 10, defaultTTL: ttl)
        defaulted.set(1, "y", now: 0)
        defaulted.set(2, "z", now: 0, ttl: 2 * ttl)
        #expect(defaulted.peek(1, now: ttl - 1) == "y" && defaulted.peek(1, now: ttl) == nil)
        #expect(defaulted.peek(2, now: ttl) == "z")
    }

    @Test func anExpiredTailIsCountedAsAnExpirationNotAnEviction() {
        var cache = LRUCache<Int, Int>(capacity: 2)
        cache.set(1, 1, now: 0, ttl: second)
        cache.set(2, 2, now: 0)
        #expect(cache.set(3, 3, now: 2 * second)?.key == 1)
        #expect(cache.counters.expirations == 1 && cache.counters.evictions == 0)
    }

    @Test func removeAllLosesEveryEntryButKeepsCounters() {
        var cache = LRUCache<Int, Int>(capacity: 4)
        for i in 0..<4 { cache.set(i, i, now: 0) }
        _ = cache.get(0, now: 0)
        cache.removeAll()
        #expect(cache.isEmpty && cache.keysByRecency.isEmpty)
        #expect(cache.get(0, now: 1) == nil)
        #expect(cache.counters.hits == 1 && cache.counters.misses == 1)
        for i in 10..<15 { cache.set(i, i, now: 2) }   // usable again, still bounded
        #expect(cache.keysByRecency == [14, 13, 12, 11])
        cache.resetCounters()
        #expect(cache.counters == CacheCounters())
    }

    @Test func removeAndCapacityZero() {
        var cache = LRUCache<Int, Int>(capacity: 2)
        cache.set(1, 1, now: 0)
        cache.set(2, 2, now: 0)
        #expect(cache.remove(1) == 1 && cache.remove(1) == nil)
        cache.set(3, 3, now: 0)                          // reuses the freed slot, no eviction
        #expect(cache.keysByRecency == [3, 2] && cache.counters.evictions == 0)

        var none = LRUCache<Int, Int>(capacity: 0)
        #expect(none.set(1, 1, now: 0) == nil && none.get(1, now: 0) == nil && none.isEmpty)
    }

    /// 20,000 random operations against a plain array kept in recency order.
    @Test func agreesWithAReferenceModel() {
        checkAgainstReference(capacity: 8, seed: 42) { random in random.next(20) }
    }

    /// The same with a key index that grows past its first size and keys that share their low
    /// bits or are negative (long probe runs and backward shifts in the ``SlotTable``).
    @Test func agreesWithAReferenceModelOnSpreadKeys() {
        checkAgainstReference(capacity: 150, seed: 7) { random in
            let key = random.next(400) << (random.next(3) * 20)
            return random.next(4) == 0 ? -key : key
        }
    }

    /// 20,000 random `get`s, `set`s (with and without TTL) and `remove`s on keys drawn by
    /// `nextKey`, each checked against a plain array kept in recency order.
    private func checkAgainstReference(capacity: Int, seed: UInt64, _ nextKey: (inout LCG) -> Int) {
        var cache = LRUCache<Int, Int>(capacity: capacity)
        var reference: [(key: Int, value: Int, expiry: SimTime)] = []   // most recent first
        var random = LCG(state: seed)
        var now: SimTime = 0
        for step in 0..<20_000 {
            now += SimTime(random.next(3))
            let key = nextKey(&random)
            switch random.next(10) {
            case 0..<5:
                let got = cache.get(key, now: now)
                var expected: Int?
                if let i = reference.firstIndex(where: { $0.key == key }) {
                    let entry = reference.remove(at: i)
                    if entry.expiry > now { expected = entry.value; reference.insert(entry, at: 0) }
                }
                #expect(got == expected, "step \(step)")
            case 5..<9:
                let ttl: SimTime? = random.next(2) == 0 ? nil : SimTime(random.next(40))
                let evicted = cache.set(key, step, now: now, ttl: ttl)
                let expiry = ttl.map { now + $0 } ?? .max
                var expectedEviction: Int?
                if let i = reference.firstIndex(where: { $0.key == key }) {
                    reference.remove(at: i)
                } else if reference.count == capacity {
                    expectedEviction = reference.removeLast().key
                }
                reference.insert((key, step, expiry), at: 0)
                #expect(evicted?.key == expectedEviction, "step \(step)")
            default:
                let removed = cache.remove(key)
                let i = reference.firstIndex(where: { $0.key == key })
                #expect(removed == i.map { reference[$0].value }, "step \(step)")
                if let i { reference.remove(at: i) }
            }
            #expect(cache.keysByRecency == reference.map(\.key), "step \(step)")
            #expect(cache.count == reference.count, "step \(step)")
        }
        for entry in reference { #expect(cache.contains(entry.key, now: now) == (entry.expiry > now)) }
    }
}

// MARK: - Keys and the seed's table

@Suite struct CacheTestsKeys {
    @Test func descriptionsMatchTheSeedsStrings() {
        #expect(CacheKey.session(user: 7).description == "session:7")
        #expect(CacheKey.user(123).description == "user:123")
        #expect(CacheKey.project(9).description == "project:9")
        #expect(CacheKey.projectTaskCount(project: 9).description == "project:9:task_count")
        #expect(CacheKey.taskList(project: 42).description == "tasks:project:42")
        #expect(CacheKey.userTaskCount(user: 5).description == "tasks:user:5:count")
        #expect(CacheKey.permissions(user: 5).description == "permissions:5")
        #expect(CacheKey.rateLimit(user: 5, window: 3).description == "rate_limit:5:3")
        #expect(CacheKey.lastWrite(user: 5, task: 1001).description == "last_write:5:1001")
    }

    @Test func keysPackFamilyOwnerAndDetail() {
        let key = CacheKey.lastWrite(user: CacheKey.maxID, task: 77)
        #expect(key.family == .lastWrite && key.ownerID == CacheKey.maxID && key.detail == 77)
        #expect(CacheKey(rawValue: key.rawValue) == key)
        #expect(CacheKey(rawValue: 0) == nil)
        // Same id, different family or owner kind: different keys and owners.
        #expect(CacheKey.user(1) != CacheKey.project(1))
        #expect(CacheKey.user(1).owner == .user(1) && CacheKey.taskList(project: 1).owner == .project(1))
        #expect(CacheKey.rateLimit(user: 1, window: 2) != CacheKey.rateLimit(user: 1, window: 3))
        #expect(CacheKey.Family.allCases.map(\.index) == Array(0..<CacheKey.Family.count))
        #expect(CacheFamilies.all.contains(.lastWrite) && !CacheFamilies(.user).contains(.session))
    }

    @Test func theSeedsTTLsAndLimits() {
        let seed = CacheFamilyTable.seed
        #expect(seed[.session].ttl == 15 * minute)
        #expect(seed[.user].ttl == 5 * minute)
        #expect(seed[.project].ttl == 5 * minute)
        #expect(seed[.taskList].ttl == 1 * minute)
        #expect(seed[.permissions].ttl == 5 * minute)
        #expect(seed[.rateLimit].ttl == 1 * minute)
        #expect(seed[.lastWrite].ttl == 5 * second)
        #expect(seed[.projectTaskCount].ttl == 60 * second)
        #expect(seed[.session].sizeLimit == 10 * 1024 * 1024)
        #expect(seed[.taskList].sizeLimit == 500 * 1024)
        #expect(seed[.rateLimit].sizeLimit == 1024)
        #expect(CacheKey.Family.lastWrite.seedTTL == 5 * second)
    }
}

// MARK: - Slot table (the Redis model's key index)

@Suite struct CacheTestsSlotTable {
    /// 20,000 random operations (`set`, `claim`, `remove`, `find`) over few keys (long probe
    /// runs, many backward shifts) against a `Dictionary`.
    @Test func agreesWithADictionary() {
        var table = SlotTable(minimumCapacity: 2)
        var reference: [UInt64: Int32] = [:]
        var random = LCG(state: 3)
        for step in 0..<20_000 {
            let key = UInt64(random.next(300)) << UInt64(random.next(3) * 20)
            switch random.next(4) {
            case 0:
                let slot = Int32(step)
                table.set(key, slot)
                reference[key] = slot
            case 3:
                let slot = Int32(step)
                let claimed = table.claim(key, candidate: slot)
                if let held = reference[key] {
                    #expect(claimed.slot == held && !claimed.isNew, "step \(step)")
                } else {
                    #expect(claimed.slot == slot && claimed.isNew, "step \(step)")
                    reference[key] = slot
                }
            case 1:
                #expect(table.remove(key) == reference.removeValue(forKey: key), "step \(step)")
            default:
                #expect(table.find(key) == reference[key], "step \(step)")
            }
            #expect(table.count == reference.count)
        }
        for key in reference.keys { #expect(table.find(key) == reference[key]) }
        table.removeAll()
        #expect(table.count == 0 && table.find(reference.keys.first ?? 0) == nil)
    }
}

// MARK: - Redis model

@Suite struct CacheTestsRedis {
    /// A Redis of `maxMemory` bytes with no per-key overhead, so charges are the sizes given.
    private func redis(_ maxMemory: Int?, _ policy: RedisEvictionPolicy) -> RedisModel<String> {
        RedisModel(configuration: RedisConfiguration(maxMemory: maxMemory, evictionPolicy: policy,
                                                     entryOverhead: 0))
    }

    /// `holdsValue` is `peek(...) != nil`: a live value, not an expired one, a counter or an absent key.
    @Test func holdsValueIsPeekNotNil() {
        var r = redis(nil, .allkeysLRU)
        r.set(.user(1), "u", now: 0, ttl: .after(second))
        r.incr(.rateLimit(user: 1, window: 0), now: 0, ttl: .after(minute))
        let keys: [CacheKey] = [.user(1), .rateLimit(user: 1, window: 0), .user(2)]
        for now in [0, second - 1, second] {
            for key in keys { #expect(r.holdsValue(key, now: now) == (r.peek(key, now: now) != nil)) }
        }
        #expect(r.holdsValue(.user(1), now: second - 1) && !r.holdsValue(.user(1), now: second))
        #expect(!r.holdsValue(.rateLimit(user: 1, window: 0), now: 0) && !r.holdsValue(.user(2), now: 0))
    }

    @Test func ttlFromTheFamilyOrTheCaller() {
        var r = redis(nil, .allkeysLRU)
        r.set(.taskList(project: 1), "tasks", now: 100)                         // family TTL 60 s
        #expect(r.get(.taskList(project: 1), now: 100 + minute - 1) == "tasks")
        #expect(r.get(.taskList(project: 1), now: 100 + minute) == nil)
        r.set(.user(1), "u", now: 0, ttl: .after(second))
        r.set(.user(2), "v", now: 0, ttl: .never)
        #expect(r.expiry(of: .user(1), now: 0) == second && r.expiry(of: .user(2), now: 0) == .max)
        #expect(r.peek(.user(1), now: second) == nil && r.peek(.user(2), now: 100 * minute) == "v")
        #expect(r.count == 2)                                    // user 1 not yet reclaimed
        #expect(r.purgeExpired(now: second) == 1 && r.count == 1)
        let c = r.counters(for: .taskList)
        #expect(c.hits == 1 && c.misses == 1 && c.expirations == 1 && c.sets == 1)
        #expect(r.counters(for: .user).expirations == 1 && r.counters.sets == 3)
    }

    /// Active expiry: a rate-limit counter per user and minute window (TTL 60 s), never read again
    /// after its minute, does not pile up. A user counting its requests for 100 minutes leaves
    /// one live key and at most the one that has just expired, not 100; each expired key is
    /// counted once as an expiration.
    @Test func expiredKeysAreReclaimedWhenNewKeysAreWritten() {
        var r = redis(nil, .allkeysLRU)
        var oneKey = 0
        for window in 0..<100 {
            let now = SimTime(window) * minute + 10 * second
            #expect(r.incr(.rateLimit(user: 7, window: window), now: now, ttl: .after(minute)) == .value(1))
            #expect(r.count == 1, "window \(window): \(r.count) keys held")
            if window == 0 { oneKey = r.usedMemory }
        }
        #expect(oneKey > 0 && r.usedMemory == oneKey)
        #expect(r.counters(for: .rateLimit).expirations == 99)
    }

    @Test func usedMemoryCountsSizesAndOverhead() {
        var r = RedisModel<Int>(configuration: RedisConfiguration(entryOverhead: 64))
        r.set(.user(1), 1, now: 0)                               // typical profile: 5 KB
        r.set(.permissions(user: 1), 1, now: 0, bytes: 300)
        #expect(r.usedMemory == 5 * 1024 + 64 + 300 + 64)
        r.set(.user(1), 2, now: 0, bytes: 1000)                  // an update re-charges
        #expect(r.usedMemory == 1000 + 64 + 300 + 64)
        r.delete(.user(1), now: 0)
        #expect(r.usedMemory == 364 && r.counters(for: .user).deletes == 1)
    }

    @Test func allkeysLRUEvictsTheLeastRecentlyUsedUnderTheMemoryLimit() {
        var r = redis(300, .allkeysLRU)
        for u in 1...3 { r.set(.user(u), "u\(u)", now: 0, bytes: 100) }
        _ = r.get(.user(1), now: 1)                               // user 2 is now the LRU
        #expect(r.set(.user(4), "u4", now: 2, bytes: 100) == .stored)
        #expect(r.lastEvictions == [.user(2)])
        #expect(r.usedMemory == 300 && r.count == 3)
        #expect(r.set(.user(5), "u5", now: 3, bytes: 200) == .stored)   // needs two victims
        #expect(r.lastEvictions == [.user(3), .user(1)])
        #expect(r.counters(for: .user).evictions == 3)
        #expect(r.set(.user(6), "big", now: 4, bytes: 301) == .rejectedOutOfMemory)  // can never fit
        #expect(r.lastEvictions.isEmpty && r.count == 2)
    }

    @Test func growingAKeyNeverEvictsTheKeyItself() {
        var r = redis(300, .allkeysLRU)
        r.set(.user(1), "a", now: 0, bytes: 100)
        r.set(.user(2), "b", now: 0, bytes: 100)
        r.set(.user(3), "c", now: 0, bytes: 100)
        _ = r.get(.user(2), now: 1); _ = r.get(.user(3), now: 1)  // user 1 is the LRU
        #expect(r.set(.user(1), "A", now: 2, bytes: 200) == .stored)
        #expect(r.lastEvictions == [.user(2)] && r.peek(.user(1), now: 2) == "A")
    }

    @Test func noEvictionRefusesWritesWhenFull() {
        var r = redis(200, .noEviction)
        #expect(r.set(.user(1), "a", now: 0, bytes: 100) == .stored)
        #expect(r.set(.user(2), "b", now: 0, bytes: 100) == .stored)
        #expect(r.set(.user(3), "c", now: 0, bytes: 100) == .rejectedOutOfMemory)
        #expect(r.set(.user(1), "A", now: 0, bytes: 150) == .rejectedOutOfMemory)
        #expect(r.peek(.user(1), now: 0) == "a")                 // the old value survives
        #expect(r.counters(for: .user).rejectedWrites == 2 && r.counters.evictions == 0)
        #expect(r.incr(.rateLimit(user: 1, window: 0), now: 0) == .rejectedOutOfMemory)
        #expect(r.set(.user(1), "A", now: 0, bytes: 50) == .stored)   // shrinking needs no room
        r.delete(.user(2), now: 0)
        #expect(r.set(.user(3), "c", now: 0, bytes: 100) == .stored)
        #expect(r.usedMemory == 150)
    }

    @Test func expiredKeysAreReclaimedBeforeAnyEviction() {
        var r = redis(200, .noEviction)
        r.set(.lastWrite(user: 1, task: 1), "t", now: 0, bytes: 100)   // 5 s TTL
        r.set(.user(1), "a", now: 0, ttl: .never, bytes: 100)
        #expect(r.set(.user(2), "b", now: 5 * second, bytes: 100) == .stored)
        #expect(r.counters(for: .lastWrite).expirations == 1 && r.counters.evictions == 0)
    }

    @Test func volatileTTLEvictsTheSoonestExpiring() {
        var r = redis(400, .volatileTTL)
        r.set(.user(1), "persistent", now: 0, ttl: .never, bytes: 100)
        r.set(.user(2), "30 s", now: 0, ttl: .after(30 * second), bytes: 100)
        r.set(.user(3), "10 s", now: 0, ttl: .after(10 * second), bytes: 100)
        r.set(.user(4), "20 s", now: 0, ttl: .after(20 * second), bytes: 100)
        #expect(r.set(.user(5), "40 s", now: 1, ttl: .after(40 * second), bytes: 100) == .stored)
        #expect(r.lastEvictions == [.user(3)])
        #expect(r.set(.user(6), "never", now: 2, ttl: .never, bytes: 100) == .stored)
        #expect(r.lastEvictions == [.user(4)])
        #expect(r.set(.user(7), "never", now: 3, ttl: .never, bytes: 200) == .stored)
        #expect(r.lastEvictions == [.user(2), .user(5)])
        // Only keys without a TTL are left: nothing may be evicted.
        #expect(r.set(.user(8), "x", now: 4, bytes: 100) == .rejectedOutOfMemory)
        #expect(r.keys(ownedBy: .user(1), now: 4) == [.user(1)] && r.count == 3)
    }

    @Test func patternDeletionRemovesExactlyTheOwnersKeys() {
        var r = redis(nil, .allkeysLRU)
        func userKeys(_ u: Int) -> [CacheKey] {
            [.session(user: u), .user(u), .userTaskCount(user: u), .permissions(user: u),
             .lastWrite(user: u, task: 10), .lastWrite(user: u, task: 11)]
        }
        func projectKeys(_ p: Int) -> [CacheKey] {
            [.project(p), .projectTaskCount(project: p), .taskList(project: p)]
        }
        let all = userKeys(1) + userKeys(2) + projectKeys(1) + projectKeys(2)
        for key in all { r.set(key, key.description, now: 0) }
        #expect(r.incr(.rateLimit(user: 1, window: 0), now: 0) == .value(1))
        #expect(Set(r.keys(ownedBy: .user(1), now: 0)) == Set(userKeys(1) + [.rateLimit(user: 1, window: 0)]))

        #expect(r.deleteAll(ownedBy: .user(1), now: 1) == 7)
        #expect(r.keys(ownedBy: .user(1), now: 1).isEmpty)
        for key in userKeys(2) + projectKeys(1) + projectKeys(2) { #expect(r.contains(key, now: 1), "\(key)") }
        #expect(r.count == all.count - 6)
        #expect(r.counters.patternDeletions == 7 && r.counters(for: .lastWrite).patternDeletions == 2)

        // Narrowed to families: only project 2's task list and count.
        #expect(r.deleteAll(ownedBy: .project(2), families: [CacheFamilies(.taskList), CacheFamilies(.projectTaskCount)],
                            now: 1) == 2)
        #expect(r.keys(ownedBy: .project(2), now: 1) == [.project(2)])
        #expect(r.deleteAll(ownedBy: .user(99), now: 1) == 0)
    }

    @Test func oversizedValuesAreRefusedAndLeaveNoStaleEntry() {
        var r = redis(nil, .allkeysLRU)
        r.set(.taskList(project: 1), "small", now: 0, bytes: 1000)
        #expect(r.set(.taskList(project: 1), "huge", now: 1, bytes: 500 * 1024 + 1) == .rejectedOversized)
        #expect(r.peek(.taskList(project: 1), now: 1) == nil && r.usedMemory == 0)
        #expect(r.counters(for: .taskList).oversized == 1)
    }

    @Test func countersAreIntegersKeepingTheirTTL() {
        var r = redis(nil, .allkeysLRU)
        let key = CacheKey.rateLimit(user: 3, window: 0)
        #expect(r.incr(key, now: 0) == .value(1))
        #expect(r.incr(key, by: 4, now: 30 * second) == .value(5))      // TTL still from t = 0
        #expect(r.counter(key, now: minute - 1) == 5 && r.counter(key, now: minute) == nil)
        #expect(r.get(key, now: 0) == nil)                               // a counter is no value
        r.set(.user(3), "u", now: 0)
        #expect(r.incr(.user(3), now: 0) == .wrongType)
    }

    /// The same operation sequence, run twice, evicts the same keys in the same order.
    @Test(arguments: RedisEvictionPolicy.allCases)
    func evictionOrderIsDeterministic(policy: RedisEvictionPolicy) {
        func run() -> (evictions: [CacheKey], keys: [[CacheKey]], used: Int) {
            var r = RedisModel<Int>(configuration: RedisConfiguration(maxMemory: 64 * 1024, evictionPolicy: policy))
            var random = LCG(state: 7)
            var log: [CacheKey] = []
            var now: SimTime = 0
            for step in 0..<5_000 {
                now += SimTime(random.next(100)) * SimClock.nanosecondsPerSecond / 10
                let id = random.next(50)
                switch random.next(6) {
                case 0: _ = r.get(.user(id), now: now)
                case 1: r.set(.user(id), step, now: now, bytes: 500 + random.next(2000))
                case 2: r.set(.taskList(project: id), step, now: now, bytes: 1000 + random.next(4000))
                case 3: r.set(.session(user: id), step, now: now, ttl: random.next(2) == 0 ? .never : .familyDefault)
                case 4: r.incr(.rateLimit(user: id, window: Int(now / minute)), now: now)
                default: r.deleteAll(ownedBy: .user(id), families: CacheFamilies(.lastWrite), now: now)
                }
                log += r.lastEvictions
                if let problem = r.invariantViolation() { Issue.record("step \(step): \(problem)"); break }
            }
            let keys = (0..<50).map { r.keys(ownedBy: .user($0), now: now) + r.keys(ownedBy: .project($0), now: now) }
            return (log, keys, r.usedMemory)
        }
        let first = run(), second = run()
        #expect(first.evictions == second.evictions)
        #expect(first.keys == second.keys && first.used == second.used)
        #expect(policy == .noEviction ? first.evictions.isEmpty : first.evictions.count > 100)
        #expect(first.used <= 64 * 1024)
    }
}

// MARK: - Rate limiter

@Suite struct CacheTestsRateLimiter {
    @Test func allowsNRejectsTheNextAndResetsNextWindow() {
        var redis = RedisModel<Never>()
        var limiter = RateLimiter(limit: 3)                  // 3 per 60 s window
        let t0 = 2 * minute + 10 * second                   // window 2: [120 s, 180 s)
        for i in 0..<3 {
            #expect(limiter.check(user: 1, now: t0 + SimTime(i), in: &redis) == .allowed(remaining: 2 - i))
        }
        #expect(limiter.check(user: 1, now: t0 + 5, in: &redis) == .rejected(retryAfter: 50 * second - 5))
        #expect(limiter.check(user: 2, now: t0 + 6, in: &redis).isAllowed)   // users are separate
        #expect(!limiter.check(user: 1, now: 3 * minute - 1, in: &redis).isAllowed)
        #expect(limiter.check(user: 1, now: 3 * minute, in: &redis) == .allowed(remaining: 2))
        #expect(limiter.counters.allowed == 5 && limiter.counters.rejected == 2)
        #expect(redis.counter(.rateLimit(user: 1, window: 2), now: 3 * minute) == 5)
        #expect(redis.counter(.rateLimit(user: 1, window: 2), now: t0 + minute) == nil)   // TTL 60 s
    }

    @Test func failsOpenWhenRedisRefusesTheCounter() {
        var redis = RedisModel<Never>(configuration: RedisConfiguration(maxMemory: 0, evictionPolicy: .noEviction))
        var limiter = RateLimiter(limit: 0)
        #expect(limiter.check(user: 1, now: 0, in: &redis).isAllowed)
        #expect(limiter.counters.failedOpen == 1 && redis.counters(for: .rateLimit).rejectedWrites == 1)
    }
}
