// MARK: - A deterministic executor for simulated processes

/// Runs the jobs of simulated processes (Swift tasks) one at a time, in the order they became
/// runnable, on the thread that drives the simulation.
///
/// A process is a Swift task whose jobs land here: through the global executor's enqueue,
/// which ``SimulationThread`` routes to the executor registered for the simulation's thread
/// (the process's task then has no executor preference, so the runtime never reads one under
/// the task's lock), or — where that hook is not available — as the task's executor
/// preference. When a process suspends on a simulated operation and is later resumed, its
/// next job lands here, and ``drain()`` runs it. Nothing ever runs concurrently or on another
/// thread, so a run is as deterministic as the event order that resumes the processes.
public final class SimulationExecutor: TaskExecutor, @unchecked Sendable {
    // Confined to the simulation's thread: jobs are only enqueued while that thread resumes
    // a continuation or starts a process, and `drain` only by the run loop.
    private var jobs: [UnownedJob] = []
    private var next = 0

    public init() {}

    /// A job of a task preferring this executor (where the global hook is not available).
    public func enqueue(_ job: consuming ExecutorJob) {
        jobs.append(UnownedJob(job))
    }

    /// A job the global executor was asked to run on this executor's thread.
    func enqueueGlobalJob(_ job: UnownedJob) {
        jobs.append(job)
    }

    /// Runs every runnable job, including those that become runnable meanwhile, FIFO.
    public func drain() {
        let global = SimulationThread.isAvailable
        while next < jobs.count {
            let job = jobs[next]
            next += 1
            if global {
                job.runSynchronously(on: SimulationThread.genericExecutor)
            } else {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        jobs.removeAll(keepingCapacity: true)
        next = 0
    }
}
