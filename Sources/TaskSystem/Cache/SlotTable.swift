// MARK: - Hash table from packed keys to slots

/// A key that packs into one 64-bit word, distinct keys into distinct words: what a
/// ``SlotTable`` indexes (``CacheKey``, ``EdgeKey``), so a cache keyed by it hashes one integer
/// with an unseeded mix instead of running a seeded SipHash per lookup.
public protocol PackedKey: Hashable {
    /// The key as one word; `a.packed == b.packed` exactly when `a == b`.
    var packed: UInt64 { get }
}

/// An open-addressing hash table from 64-bit keys to slot indices, for ``RedisModel``'s key
/// index and owner index and ``LRUCache``'s index.
///
/// Swift's `Dictionary` hashes every key with a per-process-seeded SipHash; profiling showed
/// the hashing and probing of a large `[CacheKey: Int32]` to be about a third of a Redis
/// operation, and this table cut a mixed Redis workload's CPU time by about 25 %.
/// Keys here are already packed integers, so a multiply-xorshift mix and linear probing (load
/// at most 1/2, deletion by backward shift, no tombstones) do. The table is only looked up,
/// never iterated, and its mixing is unseeded, so it is deterministic either way.
@usableFromInline
struct SlotTable: Sendable {
    @usableFromInline
    struct Bucket: Sendable {
        @usableFromInline var key: UInt64
        /// The slot, or -1 for an empty bucket.
        @usableFromInline var slot: Int32

        @inlinable init(key: UInt64, slot: Int32) {
            self.key = key
            self.slot = slot
        }

        @usableFromInline static let empty = Bucket(key: 0, slot: -1)
    }

    @usableFromInline var buckets: [Bucket]
    @usableFromInline var mask: Int
    /// Keys held.
    @usableFromInline var count = 0

    /// An empty table with room for `capacity` keys before it grows.
    @inlinable
    init(minimumCapacity capacity: Int = 8) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        buckets = [Bucket](repeating: .empty, count: size)
        mask = size - 1
    }

    /// The home bucket of `key` (a 64-bit finaliser, as MurmurHash3's `fmix64`).
    @inlinable
    func home(_ key: UInt64) -> Int {
        var x = key
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return Int(truncatingIfNeeded: x) & mask
    }

    // MARK: Lookup

    /// The slot of `key`, or `nil`.
    @inlinable
    func find(_ key: UInt64) -> Int32? {
        var i = home(key)
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { return nil }
            if bucket.key == key { return bucket.slot }
            i = (i + 1) & mask
        }
    }

    // MARK: Updating

    /// Maps `key` to `slot` (`slot >= 0`), replacing any previous slot.
    @inlinable
    mutating func set(_ key: UInt64, _ slot: Int32) {
        var i = home(key)
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { break }
            if bucket.key == key {
                buckets[i].slot = slot
                return
            }
            i = (i + 1) & mask
        }
        buckets[i] = Bucket(key: key, slot: slot)
        count += 1
        if 2 * count > buckets.count { grow() }
    }

    /// The slot of `key` and `false` if it holds one; otherwise maps `key` to `candidate`
    /// (`candidate >= 0`) and returns it with `true`. One probe either way (`find` then `set`
    /// would walk the probe run twice).
    @inlinable
    mutating func claim(_ key: UInt64, candidate: Int32) -> (slot: Int32, isNew: Bool) {
        var i = home(key)
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { break }
            if bucket.key == key { return (bucket.slot, false) }
            i = (i + 1) & mask
        }
        buckets[i] = Bucket(key: key, slot: candidate)
        count += 1
        if 2 * count > buckets.count { grow() }
        return (candidate, true)
    }

    /// Removes `key`; returns its slot, or `nil` if absent.
    @inlinable @discardableResult
    mutating func remove(_ key: UInt64) -> Int32? {
        var i = home(key)
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { return nil }
            if bucket.key == key { break }
            i = (i + 1) & mask
        }
        let slot = buckets[i].slot
        // Backward shift: pull later entries of the probe run into the hole when their home
        // does not lie cyclically in (hole, position].
        var hole = i
        var j = i
        while true {
            j = (j + 1) & mask
            let bucket = buckets[j]
            if bucket.slot < 0 { break }
            let k = home(bucket.key)
            let stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j)
            if !stays {
                buckets[hole] = bucket
                hole = j
            }
        }
        buckets[hole] = .empty
        count -= 1
        return slot
    }

    /// Removes every key, keeping the storage.
    @inlinable
    mutating func removeAll() {
        for i in buckets.indices { buckets[i] = .empty }
        count = 0
    }

    /// Doubles the buckets and re-inserts every key.
    @usableFromInline
    mutating func grow() {
        let old = buckets
        buckets = [Bucket](repeating: .empty, count: 2 * old.count)
        mask = buckets.count - 1
        for bucket in old where bucket.slot >= 0 {
            var i = home(bucket.key)
            while buckets[i].slot >= 0 { i = (i + 1) & mask }
            buckets[i] = bucket
        }
    }
}
