import Sim

// MARK: - A replica's applier: relay log, workers, commit order

/// The replication state of one replica whose applier takes time
/// (``DatabaseConfiguration/replicaApplyCost`` not zero).
///
/// MySQL replicates in two steps: the receiver thread copies the primary's binlog into the
/// replica's relay log; the applier (one SQL thread, or `replica_parallel_workers` workers and
/// a coordinator) executes the relay log's transactions. Here:
/// - **Relay log.** Changes arrive in commit order, in batches: the next change not yet
///   received, committed at `c`, arrives at `max(previous arrival, c + lag)` with `lag` drawn
///   from ``DatabaseConfiguration/replicationLag`` for it, together with every later change
///   committed by `arrival − lag` (the transport of the instant model, unchanged).
/// - **Workers.** Each worker takes the next change in relay-log order, waits for its arrival,
///   for the previous change of the same row to be committed on the replica (WRITESET
///   dependency tracking), and for the change's write I/O, then holds one of the replica's
///   cores for its apply cost — queueing FIFO with the reads the replica serves, so a replica
///   busy with reads falls behind.
/// - **Commit order.** A change becomes visible once it and every earlier change are applied
///   (`replica_preserve_commit_order=ON`).
///
/// With one worker this is Lindley's recursion for a FIFO single server: change `n` is visible
/// at `F(n) = max(F(n−1), A(n)) + s(n)`; when the write rate times the mean apply cost exceeds
/// the workers' capacity, the backlog — and so the lag — grows without bound.
struct ReplicaApplier {
    /// The next change to hand to a worker.
    var next: LSN
    /// The relay log holds every change through this LSN from ``receivedAt`` on.
    var receivedThrough: LSN
    var receivedAt: SimTime
    /// Changes applied but not yet visible (an earlier change is still being applied), in LSN
    /// order; at most one per worker.
    var finished: [LSN] = []
    /// Workers waiting for a change to be committed on the primary.
    var idle: [WakeToken] = []
    /// Workers waiting for the replica's position to reach a change (their row's previous
    /// change), with that change's LSN.
    var blocked: [(token: WakeToken, lsn: LSN)] = []

    /// A replica at `position`, caught up as of `now`.
    init(position: LSN, now: SimTime) {
        next = position.next
        receivedThrough = position
        receivedAt = now
    }
}

extension SimulatedDatabase {
    // MARK: Starting

    /// Starts the replica's applier workers (``DatabaseConfiguration/replicaParallelWorkers``,
    /// at least one) from its current position.
    func startApplier(of replica: Int) {
        while appliers.count <= replica { appliers.append(nil) }
        appliers[replica] = ReplicaApplier(position: store.position(of: .replica(replica)), now: runtime.now)
        while applyStreams.count <= replica {
            applyStreams.append(streams.stream(named: "database.replica\(applyStreams.count).apply"))
        }
        for _ in 0..<max(1, configuration.replicaParallelWorkers) { startApplierWorker(self, replica) }
    }

    /// Wakes one idle worker of every replica: a change was committed on the primary.
    func wakeIdleAppliers() {
        for replica in appliers.indices {
            if let token = appliers[replica]?.idle.popLast() { runtime.wake(token) }
        }
    }

    // MARK: A worker's steps (``ReplicaApplierWorker``)

    /// When change `lsn` (committed at `committed`) is in the replica's relay log.
    func relayArrival(of lsn: LSN, committed: SimTime, replica: Int) -> SimTime {
        if lsn <= appliers[replica]!.receivedThrough { return appliers[replica]!.receivedAt }
        let lag = SimClock.time(seconds: max(0, configuration.replicationLag.sample(&lagStreams[replica])))
        let arrival = max(appliers[replica]!.receivedAt, SimClock.adding(lag, to: committed))
        let through = max(lsn, store.primary.log.lastLSN(committedAtOrBefore: arrival - lag))
        appliers[replica]!.receivedThrough = through
        appliers[replica]!.receivedAt = arrival
        return arrival
    }

    // MARK: Commit order

    /// Change `lsn` is applied: it and every applied change after it up to the first one still
    /// being applied become visible, in order; workers waiting for them go on.
    func finish(_ lsn: LSN, on replica: Int) {
        var applier = appliers[replica]!
        let index = applier.finished.firstIndex { $0 > lsn } ?? applier.finished.endIndex
        applier.finished.insert(lsn, at: index)
        var position = store.position(of: .replica(replica))
        var visible = 0
        while visible < applier.finished.count, applier.finished[visible] == position.next {
            position = applier.finished[visible]
            visible += 1
        }
        applier.finished.removeFirst(visible)
        var ready: [WakeToken] = []
        if visible > 0 {
            applier.blocked.removeAll { waiter in
                guard waiter.lsn <= position else { return false }
                ready.append(waiter.token)
                return true
            }
        }
        appliers[replica] = applier
        guard visible > 0 else { return }
        let from = store.position(of: .replica(replica))
        // The lag just before the changes become visible (of replicas taking reads).
        if replicaServing[replica] {
            metrics.maxReplicaLag = max(metrics.maxReplicaLag, store.lag(of: .replica(replica), now: runtime.now))
        }
        for change in store.primary.log.changes(after: from, through: position) {
            metrics.replicaApplyDelay.record(SimClock.seconds(runtime.now - change.commitTime))
        }
        store.replicate(replica, upTo: position)
        for token in ready { runtime.wake(token) }
    }
}
