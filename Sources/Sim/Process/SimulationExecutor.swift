// MARK: - A deterministic executor for simulated processes

/// Runs the jobs of simulated processes (Swift tasks) one at a time, in the order they became
/// runnable, on the thread that drives the simulation.
///
/// A process is a Swift task created with this executor as its preference; when it suspends
/// on a simulated operation and is later resumed, its next job lands here, and ``drain()``
/// runs it. Nothing ever runs concurrently or on another thread, so a run is as deterministic
/// as the event order that resumes the processes.
public final class SimulationExecutor: TaskExecutor, @unchecked Sendable {
    // Confined to the simulation's thread: `enqueue` is only called while that thread resumes
    // a continuation or starts a process, and `drain` only by the run loop.
    private var jobs: [UnownedJob] = []
    private var next = 0

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        jobs.append(UnownedJob(job))
    }

    /// Runs every runnable job, including those that become runnable meanwhile, FIFO.
    public func drain() {
        while next < jobs.count {
            let job = jobs[next]
            next += 1
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
        jobs.removeAll(keepingCapacity: true)
        next = 0
    }
}
