import Sim

// MARK: - One applier worker as an explicit state machine

/// One applier worker of a replica (``ReplicaApplier``), its loop driven by the run loop (a
/// ``ProcessMachine``) instead of running as a process: no task, no suspension, no closure per
/// stage, the same event order.
///
/// The loop, each wait where the `async` worker suspended:
/// 1. take the next change in relay-log order (waiting idle until one is committed on the
///    primary, and waking an idle colleague when more are waiting), then wait for its arrival
///    in the relay log;
/// 2. wait while a fault holds the replica back (``ReplicaHold``);
/// 3. wait for the row's previous change to be committed on the replica (WRITESET);
/// 4. take the change's write I/O from the replica's volume, waiting when its IOPS are spent;
/// 5. hold one of the replica's cores for the apply cost (FIFO with the replica's reads);
/// 6. during a failover, wait (a replication tick at a time) for the promotion; then the
///    change is applied (``SimulatedDatabase/finish(_:on:)``) and the loop goes on.
///
/// Each wait is scheduled (``ProcessRuntime/after(_:file:line:_:stage:)``) or registered
/// (``ProcessRuntime/park(file:line:_:_:stage:)``) exactly where the worker slept or parked, and
/// its step runs where the worker would have resumed, so results are the same to the bit. The
/// worker ends when its replica is detached, or when a wait is interrupted (the end of the run),
/// as the `async` worker returned.
final class ReplicaApplierWorker: ProcessMachine {
    /// The stages the run loop calls (``run(stage:interruption:)``).
    private enum Stage: UInt32 {
        case takeNext, awaitRelease, awaitDependency, apply, coreHeld, applied, awaitPromotion
    }

    private let database: SimulatedDatabase
    private let replica: Int
    /// The change in hand (stages 1–6): its LSN, its commit time on the primary, and the LSN of
    /// the previous change of its row.
    private var lsn = LSN(0)
    private var committed: SimTime = 0
    private var dependency = LSN(0)
    /// The instance whose I/O the change took (stage 4), and whose core it holds (stage 5).
    private var node: DatabaseNode?
    /// The change's apply cost (stage 5).
    private var cost: SimTime = 0

    init(database: SimulatedDatabase, replica: Int) {
        self.database = database
        self.replica = replica
    }

    private var runtime: ProcessRuntime { database.runtime }
    private var detached: Bool { database.store.detached[replica] }

    /// Starts the worker: its first step runs where a process spawned now would first run.
    func start() {
        runtime.start(self, stage: Stage.takeNext.rawValue)
    }

    /// Runs the stage a wait ended on; an interrupted wait (the end of the run) ends the worker,
    /// after giving back a core it held.
    func run(stage: UInt32, interruption: ProcessInterruption?) {
        let stage = Stage(rawValue: stage)!
        if stage == .applied { node!.cpu.release() }
        guard interruption == nil else { return }
        switch stage {
        case .takeNext: takeNext()
        case .awaitRelease: awaitRelease()
        case .awaitDependency: awaitDependency()
        case .apply: apply()
        case .coreHeld: wait(cost, then: .applied)
        case .applied, .awaitPromotion: awaitPromotion()
        }
    }

    private func wait(_ duration: SimTime, then stage: Stage) {
        runtime.after(duration, self, stage: stage.rawValue)
    }

    // MARK: Stages

    /// Stage 1: the next change, and its arrival in the relay log.
    private func takeNext() {
        guard !detached else { return }
        let lsn = database.appliers[replica]!.next
        guard lsn <= database.store.primary.headLSN else {
            return runtime.park({ database.appliers[replica]!.idle.append($0) }, self, stage: Stage.takeNext.rawValue)
        }
        database.appliers[replica]!.next = lsn.next
        // More work waiting: hand it to an idle worker.
        if lsn.next <= database.store.primary.headLSN, let token = database.appliers[replica]!.idle.popLast() {
            runtime.wake(token)
        }
        let change = database.store.primary.log[lsn]
        self.lsn = lsn
        committed = change.commitTime
        dependency = change.previousLSN
        let arrival = database.relayArrival(of: lsn, committed: committed, replica: replica)
        guard arrival <= runtime.now else {
            return wait(arrival - runtime.now, then: .awaitRelease)
        }
        awaitRelease()
    }

    /// Stage 2: a fault holding the replica back (`ReplicaHold`): the change waits for its release.
    private func awaitRelease() {
        if let release = database.heldRelease(of: replica, committed: committed) {
            return wait(release - runtime.now, then: .awaitRelease)
        }
        awaitDependency()
    }

    /// Stage 3: WRITESET: a change of a row waits until the row's previous change is committed
    /// here. Then stage 4, the write I/O.
    private func awaitDependency() {
        if !detached, database.store.position(of: .replica(replica)) < dependency {
            return runtime.park({ [self] token in database.appliers[replica]!.blocked.append((token, dependency)) },
                                self, stage: Stage.awaitDependency.rawValue)
        }
        if detached { return }
        let node = database.replicaNodes[replica]
        self.node = node
        let ioWait = node.requestIO(database.configuration.storage.writeIOs, at: runtime.now, write: true)
        guard ioWait <= 0 else { return wait(SimClock.time(seconds: ioWait), then: .apply) }
        apply()
    }

    /// Stage 5: a core of `node` (the replica's instance when the I/O was asked) for the apply
    /// cost (`coreHeld`); the core is given back when the cost is served (`applied`, in
    /// ``run(stage:interruption:)``).
    private func apply() {
        cost = SimClock.time(seconds: max(0, database.configuration.effectiveReplicaApplyCost.sample(&database.applyStreams[replica])))
        node!.cpu.acquire(self, stage: Stage.coreHeld.rawValue)
    }

    /// Stage 6: a failover: nothing becomes visible until a replica is promoted (the model keeps
    /// a replica where it stood at the failure; see `Faults/FailoverPromotion.swift`). Then the
    /// change is applied, and the worker takes the next.
    private func awaitPromotion() {
        if database.primaryDown, !detached {
            return wait(database.configuration.replicationTick, then: .awaitPromotion)
        }
        if detached { return }
        database.finish(lsn, on: replica)
        takeNext()
    }
}
