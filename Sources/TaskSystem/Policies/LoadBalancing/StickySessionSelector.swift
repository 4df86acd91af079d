// StickySessionSelector.swift — sticky sessions: a user stays on one instance while it is routable.

import Sim

// MARK: - Sticky sessions

/// Sticky sessions: the first request of a user is placed by a stable hash of (user, target);
/// the user is then pinned to that target and stays there while it is routable. When the target
/// goes away (unhealthy, draining, removed) the user is re-pinned by the same hash over the
/// remaining routable targets — only that target's users move.
///
/// Placement uses rendezvous (highest-random-weight) hashing with a fixed 64-bit mixer, never
/// Swift's per-process-seeded `Hasher`, so runs are reproducible.
public struct StickySessionSelector: Sendable, Equatable {
    /// User → pinned target id.
    public private(set) var pins: [UInt64: Int] = [:]

    /// A selector with no pins.
    public init() {}

    /// The index of the target for `user`'s request, or `nil` when no target is routable.
    public mutating func select(user: UInt64, from targets: [LoadBalancerTarget]) -> Int? {
        if let pinned = pins[user],
           let index = targets.firstIndex(where: { $0.id == pinned && $0.isRoutable }) {
            return index
        }
        guard let index = Self.hashedTarget(user: user, among: targets) else { return nil }
        pins[user] = targets[index].id
        return index
    }

    /// Forgets `user`'s pin (session ended or cookie expired).
    public mutating func unpin(user: UInt64) {
        pins[user] = nil
    }

    /// The routable target with the highest rendezvous weight for `user` (ties → lowest index);
    /// depends only on the user and the targets' ids, not on their order.
    public static func hashedTarget(user: UInt64, among targets: [LoadBalancerTarget]) -> Int? {
        var best: (index: Int, weight: UInt64)? = nil
        for index in targets.indices where targets[index].isRoutable {
            let weight = StableHash.combine(user, UInt64(bitPattern: Int64(targets[index].id)))
            if best.map({ weight > $0.weight }) ?? true { best = (index, weight) }
        }
        return best?.index
    }
}

// MARK: - Stable hash

/// A fixed, platform-independent 64-bit mixer (splitmix64's, from `Sim`).
enum StableHash {
    /// Mixes `x` into a well-distributed 64-bit value.
    static func mix(_ x: UInt64) -> UInt64 {
        SplitMix64.mix(x)
    }

    /// A hash of the pair (a, b); not symmetric.
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(mix(a) ^ (b &* 0xff51_afd7_ed55_8ccd))
    }
}
