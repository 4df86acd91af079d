import Sim

// MARK: - Why an entry leaves

/// The reason an entry is removed, for the counters.
@usableFromInline
enum RedisRemoval: Sendable {
    case deleted, evicted, expired, pattern
}

// MARK: - Memory and slots

extension RedisModel {
    /// Removes every entry expired at `now` (Redis's active expiry; call it periodically, or
    /// before reading ``usedMemory``); returns how many.
    @inlinable @discardableResult
    public mutating func purgeExpired(now: SimTime) -> Int {
        var removed = 0
        while let first = expiryIndex.first, first.expiry <= now {
            remove(first.slot, reason: .expired)
            removed += 1
        }
        return removed
    }

    /// Frees memory until `extra` more bytes fit under `maxMemory`: expired entries first (soonest
    /// expiry first), then victims of the policy, never `protected` (the key being written).
    /// Returns whether the bytes fit; on `false` the write must be refused (entries already
    /// evicted stay evicted, as in Redis).
    @inlinable
    mutating func makeRoom(for extra: Int, now: SimTime, protecting protected: Int32) -> Bool {
        guard let limit = configuration.maxMemory, used + extra > limit else { return true }
        // A value that cannot fit even alone is refused before anything is evicted.
        let ownCharge = protected == SlotLinks.none ? 0 : charges[Int(protected)]
        guard ownCharge + extra <= limit else { return false }
        while used + extra > limit {
            if let first = expiryIndex.first, first.expiry <= now {
                remove(first.slot, reason: .expired)
                continue
            }
            let victim: Int32
            switch configuration.evictionPolicy {
            case .noEviction:
                return false
            case .allkeysLRU:
                victim = recencyTail == SlotLinks.none || recencyTail != protected
                    ? recencyTail : recency.prev[Int(recencyTail)]
            case .volatileTTL:
                victim = expiryIndex.first(excluding: protected) ?? SlotLinks.none
            }
            guard victim != SlotLinks.none else { return false }
            evicted.append(keys[Int(victim)])
            remove(victim, reason: .evicted)
        }
        return true
    }

    /// Puts a new entry (`value`, or the counter `number` when `value` is `nil`) in a free slot
    /// and links it into the recency, owner and expiry structures.
    @inlinable
    mutating func insert(_ key: CacheKey, value: Value?, number: Int64, expiry: SimTime?, charge: Int) {
        var slot = recency.allocate(freeHead: &freeHead)
        if slot == SlotLinks.none {
            slot = recency.appendSlot()
            _ = ownership.appendSlot()
            expiryIndex.appendSlot()
            keys.append(key)
            values.append(value)
            numbers.append(number)
            expiries.append(expiry ?? .max)
            charges.append(charge)
        } else {
            let s = Int(slot)
            keys[s] = key
            values[s] = value
            numbers[s] = number
            expiries[s] = expiry ?? .max
            charges[s] = charge
        }
        index.set(key.rawValue, slot)
        used += charge
        recency.pushFront(slot, head: &recencyHead, tail: &recencyTail)
        let owner = Self.ownerKey(of: key)
        var head = ownerHeads.find(owner) ?? SlotLinks.none
        ownership.pushFront(slot, head: &head)
        ownerHeads.set(owner, head)
        if let expiry { expiryIndex.insert(slot, expiry: expiry, stamp: nextStamp()) }
    }

    /// Removes the entry in `slot`, counting it under `reason` (unless `counted` is false).
    @inlinable
    mutating func remove(_ slot: Int32, reason: RedisRemoval, counted: Bool = true) {
        let s = Int(slot)
        let key = keys[s]
        if counted {
            let f = key.family.index
            switch reason {
            case .deleted: tallies[f].deletes += 1
            case .evicted: tallies[f].evictions += 1
            case .expired: tallies[f].expirations += 1
            case .pattern: tallies[f].patternDeletions += 1
            }
        }
        index.remove(key.rawValue)
        recency.unlink(slot, head: &recencyHead, tail: &recencyTail)
        // Only the first slot of an owner's list is known to the owner index.
        let isOwnerHead = ownership.prev[s] == SlotLinks.none
        var head = slot
        ownership.unlink(slot, head: &head)
        if isOwnerHead {
            let owner = Self.ownerKey(of: key)
            if head == SlotLinks.none { ownerHeads.remove(owner) } else { ownerHeads.set(owner, head) }
        }
        expiryIndex.remove(slot)
        used -= charges[s]
        charges[s] = 0
        values[s] = nil
        recency.free(slot, freeHead: &freeHead)
    }

    /// The owner index's key for `key`'s owner.
    @inlinable
    static func ownerKey(of key: CacheKey) -> UInt64 { key.owner.rawValue }
}
