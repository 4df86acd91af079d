import Sim

// MARK: - One statement as an explicit state machine

/// One statement on a database instance, its stages driven by the run loop (a
/// ``ProcessMachine``: the statement itself waits, no closure per stage) while the calling
/// process waits once (``SimulatedDatabase/execute(on:cost:ios:write:lead:_:)``).
///
/// The stages, each where the `async` version suspended:
/// 1. the outbound half of the round trip (plus a pre-ping the pool left to it, `lead`);
/// 2. the volume's I/O: the token bucket is asked on arrival, and the statement waits when
///    the instance's IOPS are spent;
/// 3. a core for `cost` seconds (queueing FIFO on the instance's ``ServerPool``);
/// 4. on completion: the core is released, a replica detached (or a primary failed) meanwhile
///    fails the statement, else `body` reads or writes the data and the query is counted;
/// 5. the return half of the round trip: the caller's own wake-up, scheduled where the
///    `async` version scheduled its last sleep.
///
/// Each stage's wake-up is scheduled at the same point in the event order as the sleep (or
/// the queueing) it replaces, and runs where that process would have resumed, so results are
/// the same to the bit. A failure at stage 4 hands control back at once
/// (``ProcessRuntime/wakeNext(_:)``): the caller goes on before any other runnable work, as the
/// `async` version's error went straight up its caller's stack.
final class DatabaseStatement<Value>: ProcessMachine {
    /// The stages the run loop calls (``run(stage:interruption:)``).
    private enum Stage: UInt32 {
        case arrived, ioDone, coreHeld, computed
    }

    private let database: SimulatedDatabase
    private let node: StoreNode
    private let cost: Double
    private let ios: Double
    private let write: Bool
    private let trip: Double
    /// The primary's failures when the statement was issued: one more at completion means the
    /// primary died under it (a `primary-failover`).
    private let primaryFailures: Int
    private let body: () throws -> Value
    /// The waiting caller.
    private var caller = WakeToken.none
    /// The instance the statement reached (stage 2 on): a switch of the primary meanwhile does
    /// not move a statement already there.
    private var server: DatabaseNode?
    /// What the caller gets when it wakes: the error the statement failed with, else `value`.
    /// (Not a `Result<Value, any Error>`: the stages run through ``ProcessMachine``, i.e. as
    /// unspecialised generic code, where storing or destroying a `Result` looked its type
    /// metadata up in the runtime's cache at every statement.)
    private(set) var failure: (any Error)?
    private(set) var value: Value?

    init(database: SimulatedDatabase, node: StoreNode, cost: Double, ios: Double, write: Bool, trip: Double,
         primaryFailures: Int, body: @escaping () throws -> Value) {
        self.database = database
        self.node = node
        self.cost = cost
        self.ios = ios
        self.write = write
        self.trip = trip
        self.primaryFailures = primaryFailures
        self.body = body
    }

    private var runtime: ProcessRuntime { database.runtime }

    // MARK: Stages

    /// Stage 1, from the caller's process as it parks with `caller`.
    func start(caller: WakeToken, lead: SimTime) {
        self.caller = caller
        runtime.after(SimClock.adding(lead, to: SimClock.time(seconds: trip / 2)), self, stage: Stage.arrived.rawValue)
    }

    func run(stage: UInt32, interruption: ProcessInterruption?) {
        switch Stage(rawValue: stage)! {
        case .arrived: arrived(interruption)
        case .ioDone: ioDone(interruption)
        case .coreHeld: coreHeld(interruption)
        case .computed: computed(interruption)
        }
    }

    /// Stage 2: the statement reached the instance; its I/O may have to wait for the volume.
    private func arrived(_ interruption: ProcessInterruption?) {
        if let interruption { return fail(interruption) }
        let server = database.instance(of: node)
        self.server = server
        let wait = server.requestIO(ios, at: runtime.now, write: write)
        if wait > 0 {
            runtime.after(SimClock.time(seconds: wait), self, stage: Stage.ioDone.rawValue)
        } else {
            ioDone(nil)
        }
    }

    /// Stage 3: a core for `cost` seconds (queueing FIFO on the instance's cores).
    private func ioDone(_ interruption: ProcessInterruption?) {
        if let interruption { return fail(interruption) }
        server!.cpu.acquire(self, stage: Stage.coreHeld.rawValue)
    }

    /// Stage 3, holding a core: the statement's `cost` (an interrupted wait holds none).
    private func coreHeld(_ interruption: ProcessInterruption?) {
        if let interruption { return fail(interruption) }
        runtime.after(SimClock.time(seconds: cost), self, stage: Stage.computed.rawValue)
    }

    /// Stage 4: the core is released; the data is read or written now; then the return trip.
    private func computed(_ interruption: ProcessInterruption?) {
        server!.cpu.release()
        if let interruption { return fail(interruption) }
        // A replica decommissioned (or promoted) while the statement ran closed its connections:
        // the statement fails, as on a deleted RDS instance, and reads nothing.
        if case .replica(let index) = node, database.store.detached[index] {
            return fail(APIError.databaseConnectionLost)
        }
        // The primary failed while the statement ran: its connection died with it.
        if node == .primary, primaryFailures != database.primaryFailures {
            return fail(APIError.databaseConnectionLost)
        }
        do {
            value = try body()
        } catch {
            return fail(error)
        }
        database.metrics.count(on: node)
        // Stage 5: the caller itself wakes after the return trip.
        runtime.scheduleWake(caller, at: SimClock.adding(SimClock.time(seconds: trip / 2), to: runtime.now))
    }

    private func fail(_ error: any Error) {
        failure = error
        runtime.wakeNext(caller)
    }
}
