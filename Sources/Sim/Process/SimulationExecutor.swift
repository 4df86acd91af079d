// MARK: - A deterministic executor for simulated processes

/// Runs the jobs of simulated processes (Swift tasks), and the steps of explicit state machines
/// (``ProcessStep``), one at a time, in the order they became runnable, on the thread that
/// drives the simulation.
///
/// A process is a Swift task created with this executor as its preference; when it suspends
/// on a simulated operation and is later resumed, its next job lands here, and ``drain()``
/// runs it. Nothing ever runs concurrently or on another thread, so a run is as deterministic
/// as the event order that resumes the processes.
public final class SimulationExecutor: TaskExecutor, @unchecked Sendable {
    // Confined to the simulation's thread: `enqueue` is only called while that thread resumes
    // a continuation or starts a process, and `drain` only by the run loop.
    private var jobs: [Runnable] = []
    private var next = 0
    /// When set, the next enqueued work runs before all other waiting work (see
    /// ``ProcessRuntime/wakeNext(_:)``); cleared by the runtime right after.
    var queuesNextAtFront = false

    /// Work that can run: a process's job, or a state machine's step with the interruption
    /// that ended its wait (nil: its wake-up came).
    enum Runnable {
        case job(UnownedJob)
        case step(ProcessStep, ProcessInterruption?)
        case machine(any ProcessMachine, UInt32, ProcessInterruption?)
    }

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        add(.job(UnownedJob(job)))
    }

    /// Queues a state machine's step behind the work already runnable (or first, see
    /// ``queuesNextAtFront``).
    func enqueue(_ step: @escaping ProcessStep, with interruption: ProcessInterruption?) {
        add(.step(step, interruption))
    }

    /// Queues a state machine object's stage, as ``enqueue(_:with:)`` queues a step.
    func enqueue(_ machine: any ProcessMachine, stage: UInt32, with interruption: ProcessInterruption?) {
        add(.machine(machine, stage, interruption))
    }

    @inline(__always)
    private func add(_ work: Runnable) {
        if queuesNextAtFront {
            queuesNextAtFront = false
            jobs.insert(work, at: next)
        } else {
            jobs.append(work)
        }
    }

    /// Runs every runnable job, including those that become runnable meanwhile, FIFO.
    public func drain() {
        while next < jobs.count {
            let work = jobs[next]
            next += 1
            switch work {
            case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
            case .step(let step, let interruption): step(interruption)
            case .machine(let machine, let stage, let interruption): machine.run(stage: stage, interruption: interruption)
            }
        }
        jobs.removeAll(keepingCapacity: true)
        next = 0
    }
}
