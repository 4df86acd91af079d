// ReplicationSlots.swift — at most `--threads` replications at once across every tier of a plan,
// the waiting ones started in priority order.

// MARK: - ReplicationSlots

/// A counting semaphore for simulation replications shared by the tiers a plan searches at once:
/// a replication takes a slot before it runs and gives it back when it ends. When every slot is
/// taken, a waiting replication of higher priority starts first (the plan gives the larger tiers,
/// whose searches are the longest, the higher priority), then the one that asked first.
///
/// Only when replications start depends on it, never what they compute: each replication
/// depends on its configuration and index alone.
actor ReplicationSlots {
    private var free: Int
    private var waiting: [Waiting] = []
    private var asked = 0

    private struct Waiting {
        let priority: Int
        let order: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    /// `count` slots (at least one).
    init(count: Int) {
        free = max(1, count)
    }

    /// Replications waiting for a slot.
    var waitingCount: Int { waiting.count }

    /// Takes a slot, waiting for one if none is free.
    func acquire(priority: Int) async {
        if free > 0 {
            free -= 1
            return
        }
        asked += 1
        let order = asked
        await withCheckedContinuation { continuation in
            waiting.append(Waiting(priority: priority, order: order, continuation: continuation))
        }
    }

    /// Gives a slot back: to the waiting replication of highest priority (the earliest among
    /// equals), or to the pool.
    func release() {
        guard let next = waiting.indices.min(by: { a, b in
            (-waiting[a].priority, waiting[a].order) < (-waiting[b].priority, waiting[b].order)
        }) else {
            free += 1
            return
        }
        waiting.remove(at: next).continuation.resume()
    }

    /// Runs `work` in a slot, off the actor (the slots stay free to change hands meanwhile).
    nonisolated func run<T: Sendable>(priority: Int, _ work: @Sendable () -> T) async -> T {
        await acquire(priority: priority)
        let value = work()
        await release()
        return value
    }
}
