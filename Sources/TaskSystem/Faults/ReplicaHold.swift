import Sim

// MARK: - What holds a replica back

/// A fault holding one replica's applied position back until ``until``: a `replica-stall`
/// (nothing new becomes visible) or a `replica-lag-spike` (a change committed at `c` becomes
/// visible no earlier than `c + lag`). Both replication models (instant and applier) ask
/// ``SimulatedDatabase/heldRelease(of:committed:)`` before a change becomes visible; with no
/// hold, the answer is `nil` at once and replication is unchanged.
struct ReplicaHold: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The applier is stopped.
        case stalled
        /// The applied position stays this far behind the primary.
        case behind(SimTime)
    }

    /// The replica held.
    let replica: Int
    let kind: Kind
    /// When the hold ends (the fault's end).
    let until: SimTime

    /// When a change committed at `committed` may become visible under this hold, if that is
    /// after `now`; `nil` when the hold does not keep it back.
    func release(ofChangeCommittedAt committed: SimTime, now: SimTime) -> SimTime? {
        guard now < until else { return nil }
        switch kind {
        case .stalled:
            return until
        case .behind(let lag):
            let visible = SimClock.adding(lag, to: committed)
            return visible > now ? min(visible, until) : nil
        }
    }
}

// MARK: - Holding replicas

extension SimulatedDatabase {
    /// Holds `hold.replica` back until `hold.until`.
    func hold(_ hold: ReplicaHold) {
        replicaHolds.append(hold)
    }

    /// Replica `replica`'s replication lag now (the age of its oldest change not yet visible);
    /// `nil` when it no longer replicates (lost, retired or promoted: the log is not kept for it).
    func replicaLag(_ replica: Int) -> SimTime? {
        guard store.detached.indices.contains(replica), !store.detached[replica] else { return nil }
        return store.lag(of: .replica(replica), now: runtime.now)
    }

    /// Forgets the holds that ended.
    func dropEndedHolds() {
        replicaHolds.removeAll { runtime.now >= $0.until }
    }

    /// When a change committed at `committed` may become visible on `replica`, if a hold keeps
    /// it back past now (the latest release of the holds on it); `nil`: it may become visible.
    func heldRelease(of replica: Int, committed: SimTime) -> SimTime? {
        guard !replicaHolds.isEmpty else { return nil }
        var release: SimTime?
        for hold in replicaHolds where hold.replica == replica {
            if let time = hold.release(ofChangeCommittedAt: committed, now: runtime.now) {
                release = max(release ?? time, time)
            }
        }
        return release
    }

    /// The last change a lag hold lets `replica` show now, when one holds it (`nil`: no limit).
    /// The instant model clamps a batch to it.
    func heldLimit(of replica: Int) -> LSN? {
        guard !replicaHolds.isEmpty else { return nil }
        var lag: SimTime?
        for hold in replicaHolds where hold.replica == replica && runtime.now < hold.until {
            if case .behind(let behind) = hold.kind { lag = max(lag ?? behind, behind) }
        }
        return lag.map { store.primary.log.lastLSN(committedAtOrBefore: runtime.now - $0) }
    }
}
