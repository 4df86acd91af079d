// MARK: - Explicit state machines as objects

/// An explicit state machine whose stages the run loop calls directly: the object itself waits in
/// the runtime's slot table (with the number of the stage to run next), so a wait costs a
/// reference to the machine, where a ``ProcessStep`` closure costs an allocated context per stage.
///
/// The waits are the closure steps' ones, and keep the same places in the event order:
/// ``ProcessRuntime/after(_:file:line:_:stage:)`` is ``ProcessRuntime/after(_:file:line:_:)``,
/// ``ProcessRuntime/start(file:line:_:stage:)`` is ``ProcessRuntime/start(file:line:_:)``,
/// ``ProcessRuntime/park(file:line:_:_:stage:)`` is ``ProcessRuntime/park(file:line:_:then:)``,
/// ``ServerPool/acquire(level:file:line:_:stage:)`` is
/// ``ServerPool/acquire(level:file:line:then:)`` (the machine holds the server until it calls
/// ``ServerPool/release()``, where ``ServerPool/serve(for:level:file:line:then:)`` released it
/// before its step). A machine numbers its own stages.
public protocol ProcessMachine: AnyObject {
    /// Runs stage `stage`: called with `nil` when its wake-up comes, or with the interruption
    /// that ended its wait (the end of the run, a timeout).
    func run(stage: UInt32, interruption: ProcessInterruption?)
}

extension ProcessRuntime {
    /// Runs `stage` of `machine` after `duration` of simulated time, scheduled exactly as
    /// ``sleep(for:file:line:)`` schedules a process's wake-up, and run where that process would
    /// have resumed.
    public func after(_ duration: SimTime, file: StaticString = #fileID, line: UInt = #line,
                      _ machine: any ProcessMachine, stage: UInt32) {
        census?.record("step", file: file, line: line)
        scheduleWake(occupy(with: .machine(machine, stage)), at: SimClock.adding(duration, to: now))
    }

    /// Starts `machine` at `stage` at the next drain, behind the work already runnable, as
    /// ``start(file:line:_:)`` starts a step.
    public func start(file: StaticString = #fileID, line: UInt = #line, _ machine: any ProcessMachine, stage: UInt32) {
        census?.record("step", file: file, line: line)
        executor.enqueue(machine, stage: stage, with: nil)
    }

    /// Registers `stage` of `machine` as a waiter, as ``park(file:line:_:)`` registers a process:
    /// `register` gets its token, and ``wake(_:)`` or ``interrupt(_:with:)`` with that token
    /// queues the stage as runnable work, where the process would have been queued.
    public func park(file: StaticString = #fileID, line: UInt = #line, _ register: (WakeToken) -> Void,
                     _ machine: any ProcessMachine, stage: UInt32) {
        census?.record("step", file: file, line: line)
        register(occupy(with: .machine(machine, stage)))
    }
}
