// MARK: - Simulated processes on the event scheduler

/// Why a simulated operation did not complete normally.
public enum ProcessInterruption: Error, Sendable, Equatable {
    /// The run ended while the process was waiting.
    case simulationEnded
    /// The wait's deadline passed first (a pool timeout, say).
    case timedOut
}

/// A parked process: the slot of its continuation and the generation that makes stale
/// wake-ups (a timeout after a grant, a grant after a timeout) harmless.
public struct WakeToken: Sendable, Hashable {
    let slot: UInt32
    let generation: UInt32

    /// A token that never wakes anything (a placeholder for a customer that never waits).
    public static let none = WakeToken(slot: .max, generation: .max)
}

/// Deterministic asynchronous processes over a discrete-event scheduler: production-style
/// `async` code (`try await database.query(…)`) runs against simulated infrastructure, and
/// every `await` on a simulated operation advances simulated, not wall-clock, time.
///
/// Hot multi-stage operations (a database statement's trips, I/O and core) may run as explicit
/// state machines instead: each stage a ``ProcessStep`` in the same slot table and the same FIFO
/// of runnable work as a process, so the calling process suspends once for the whole operation
/// while every stage keeps the place in the event order its `await` had.
///
/// Each process is a Swift task preferring ``SimulationExecutor``; it parks on a continuation
/// kept in a slot table, and a wake-up event (or a resource handing it a server) resumes it.
/// ``run(until:)`` alternates between handling the next event and draining the executor, so
/// at every simulated instant all runnable processes run to their next suspension, in FIFO
/// order, before time moves on.
///
/// The runtime is a class shared by the processes of one run and confined to the thread
/// that calls ``run(until:)``; it is `@unchecked Sendable` only so tasks can capture it.
public final class ProcessRuntime: @unchecked Sendable {
    /// A slot's occupant: a process's continuation, a state machine's step, or a state machine
    /// object with the stage it runs next.
    enum Waiter {
        case process(UnsafeContinuation<Void, any Error>)
        case step(ProcessStep)
        case machine(any ProcessMachine, UInt32)
    }

    /// Event kinds at or above this value are the runtime's wake-ups (generation in the low bits).
    static let wakeKindFlag: UInt32 = 0x8000_0000

    public private(set) var scheduler: EventScheduler<QuaternaryHeap>
    public let executor = SimulationExecutor()
    /// What waits in each slot: a suspended process, or a state machine's next step.
    private var waiters: [Waiter?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [UInt32] = []
    /// Processes started and not yet finished.
    public private(set) var liveProcesses = 0
    /// Suspensions by call site, when `SIMRUN_SUSPENSION_CENSUS` is set (a diagnostic).
    public let census: SuspensionCensus?

    public init(census: SuspensionCensus? = SuspensionCensus.fromEnvironment()) {
        scheduler = EventScheduler(list: QuaternaryHeap())
        self.census = census
    }

    /// The current simulated time.
    public var now: SimTime { scheduler.now }

    // MARK: Processes

    /// Starts a process at the current time; it first runs at the next drain.
    public func spawn(_ body: @escaping @Sendable () async -> Void) {
        liveProcesses += 1
        Task(executorPreference: executor) { [self] in
            await body()
            liveProcesses -= 1
        }
    }

    // MARK: Waiting

    /// Suspends the calling process for `duration` of simulated time (a wake-up beyond
    /// `SimTime.max` saturates there: it lies after every horizon and never fires).
    public func sleep(for duration: SimTime, file: StaticString = #fileID, line: UInt = #line) async throws {
        census?.record("sleep", file: file, line: line)
        try await suspend { token in
            self.scheduleWake(token, at: SimClock.adding(duration, to: self.now))
        }
    }

    /// Suspends the calling process until ``wake(_:)`` is called with the token handed to
    /// `register` (synchronously, before the process suspends), or a scheduled wake-up fires.
    public func park(file: StaticString = #fileID, line: UInt = #line, _ register: (WakeToken) -> Void) async throws {
        census?.record("park", file: file, line: line)
        try await suspend(register)
    }

    @inline(__always)
    private func suspend(_ register: (WakeToken) -> Void) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            register(occupy(with: .process(continuation)))
        }
    }

    /// A free slot, now holding `waiter`, and the token that names it.
    @inline(__always)
    func occupy(with waiter: Waiter) -> WakeToken {
        let slot: UInt32
        if let reused = freeSlots.popLast() {
            slot = reused
            waiters[Int(slot)] = waiter
        } else {
            slot = UInt32(waiters.count)
            waiters.append(waiter)
            generations.append(0)
        }
        return WakeToken(slot: slot, generation: generations[Int(slot)])
    }

    // MARK: Steps of explicit state machines

    /// Runs `step` after `duration` of simulated time, as the next step of a state machine: it
    /// is scheduled exactly as ``sleep(for:file:line:)`` schedules a process's wake-up, and it
    /// runs where that process would have resumed (in the same FIFO of runnable work), so a
    /// stage converted from a sleep to a step keeps its place in the event order. No task
    /// suspends: the step is a plain call from the run loop. At ``shutdown()`` it gets
    /// ``ProcessInterruption/simulationEnded``.
    public func after(_ duration: SimTime, file: StaticString = #fileID, line: UInt = #line,
                      _ step: @escaping ProcessStep) {
        census?.record("step", file: file, line: line)
        scheduleWake(occupy(with: .step(step)), at: SimClock.adding(duration, to: now))
    }

    /// Starts an explicit state machine: `step` runs, with `nil`, at the next drain, behind the
    /// work already runnable — where a process ``spawn(_:)``ed now would first run (``shutdown()``
    /// drains the runnable work first, so a started step always runs).
    public func start(file: StaticString = #fileID, line: UInt = #line, _ step: @escaping ProcessStep) {
        census?.record("step", file: file, line: line)
        executor.enqueue(step, with: nil)
    }

    /// Registers `step` as a waiter, as ``park(file:line:_:)`` registers a process: `register`
    /// gets its token (for a resource's queue, or ``scheduleWake(_:at:timingOut:)``), and
    /// ``wake(_:)`` or ``interrupt(_:with:)`` with that token queues the step as runnable work,
    /// where the process would have been queued.
    public func park(file: StaticString = #fileID, line: UInt = #line, _ register: (WakeToken) -> Void,
                     then step: @escaping ProcessStep) {
        census?.record("step", file: file, line: line)
        register(occupy(with: .step(step)))
    }

    /// Resumes the parked process (or queues the step) *before* any other runnable work: for a
    /// state machine that finishes inside a step and hands control back to the process waiting
    /// for it, so that the process continues exactly where, written as one `async` function, it
    /// would have continued without suspending (its code right after the step's). `false` if
    /// the token is stale.
    @discardableResult
    public func wakeNext(_ token: WakeToken) -> Bool {
        executor.queuesNextAtFront = true
        defer { executor.queuesNextAtFront = false }
        return resume(token, with: nil)
    }

    /// Resumes the parked process now (it runs at the next drain); `false` if the token is
    /// stale (the process was already woken).
    @discardableResult
    public func wake(_ token: WakeToken) -> Bool {
        resume(token, with: nil)
    }

    /// Resumes the parked process now with `error` thrown from its `park`.
    @discardableResult
    public func interrupt(_ token: WakeToken, with error: ProcessInterruption) -> Bool {
        resume(token, with: error)
    }

    /// Schedules a wake-up of `token` at `time`.
    public func scheduleWake(_ token: WakeToken, at time: SimTime, timingOut: Bool = false) {
        precondition(token.generation < Self.wakeKindFlag >> 1, "wake generation overflow")
        let kind = Self.wakeKindFlag | (timingOut ? Self.wakeKindFlag >> 1 : 0) | token.generation
        scheduler.schedule(at: time, kind: kind, target: token.slot)
    }

    private func resume(_ token: WakeToken, with error: ProcessInterruption?) -> Bool {
        let slot = Int(token.slot)
        // `take()` moves the waiter out and leaves `nil`: no retain of the continuation's or
        // the step's context for a copy, and no release of the slot's own reference.
        guard slot < waiters.count, generations[slot] == token.generation,
              let waiter = waiters[slot].take() else { return false }
        generations[slot] &+= 1
        freeSlots.append(token.slot)
        switch consume waiter {
        case .process(let continuation):
            if let error { continuation.resume(throwing: error) } else { continuation.resume() }
        case .step(let step):
            executor.enqueue(step, with: error)
        case .machine(let machine, let stage):
            executor.enqueue(machine, stage: stage, with: error)
        }
        return true
    }

    // MARK: Running

    /// Runs every runnable process, then handles events before `end` one instant at a time,
    /// draining the runnable processes after each; leaves the clock at `end`.
    public func run(until end: SimTime) {
        executor.drain()
        while let event = scheduler.nextEvent(before: end) {
            precondition(event.kind & Self.wakeKindFlag != 0, "unknown event kind \(event.kind)")
            let timingOut = event.kind & (Self.wakeKindFlag >> 1) != 0
            let generation = event.kind & ~(Self.wakeKindFlag | Self.wakeKindFlag >> 1)
            let token = WakeToken(slot: event.target, generation: generation)
            _ = resume(token, with: timingOut ? .timedOut : nil)  // false: a stale wake, ignored
            executor.drain()
        }
        scheduler.advance(to: max(end, scheduler.now))
    }

    /// Ends the run: every parked process resumes with ``ProcessInterruption/simulationEnded``
    /// (every waiting step is called with it) and runs to completion, so no task is left
    /// suspended. A process (or step) that parks again while
    /// ending (in a slot already passed, or a new one) is resumed in a further round, until none
    /// is parked: a parked task holds what it captured (a whole simulated system) for the life of
    /// the program, which `plan`, `sweep` and `fuzz` would pay once per replication.
    public func shutdown() {
        census?.writeToStandardError()
        executor.drain()
        var resumedAny = true
        while resumedAny {
            resumedAny = false
            for slot in waiters.indices where waiters[slot] != nil {
                _ = resume(WakeToken(slot: UInt32(slot), generation: generations[slot]), with: .simulationEnded)
                executor.drain()
                resumedAny = true
            }
        }
    }
}

/// The next step of an explicit state machine driven by the run loop (``ProcessRuntime/after(_:file:line:_:)``,
/// ``ProcessRuntime/park(file:line:_:then:)``): called with `nil` when its wake-up comes, or
/// with the interruption that ended its wait (the end of the run, a timeout).
public typealias ProcessStep = (ProcessInterruption?) -> Void
