#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Jobs of the thread that runs a simulation

/// Sends the jobs that Swift's global executor is asked to run, when they are enqueued on a
/// thread that is running a simulation, to that simulation's ``SimulationExecutor`` instead.
///
/// Why: a process used to be a task with an executor preference (its simulation's executor).
/// For such a task the runtime reads the preference under the task's status-record lock (a
/// mutex) on every executor switch and every resumption of a continuation: about 17 % of a
/// task-system run's CPU (`perf`, docs/performance.md). A task without a preference answers
/// from a flag; its jobs go to the global executor, whose enqueue the Swift runtime lets a
/// program replace (`swift_task_enqueueGlobal_hook`). The hook installed here passes a job on
/// to the executor registered for the current thread (``withExecutor(_:_:)``), and every other
/// thread's jobs to the global executor as before. Jobs reach the simulation's executor in the
/// same order either way (the task starts, then each resumption), so runs are unchanged.
///
/// The hook is process-wide and installed once, on first use; the registration is per thread
/// (a `pthread` key), so replications running on several threads each keep their own jobs.
/// Where the runtime does not export the hook, ``isAvailable`` is false and processes keep
/// their executor preference.
enum SimulationThread {
    /// The runtime's signature of the hook (`swift_task_enqueueGlobal_hook`); swiftcc passes
    /// these two pointers as the C convention does on x86-64 and arm64.
    private typealias Original = @convention(c) (UnsafeMutableRawPointer) -> Void
    private typealias Hook = @convention(c) (UnsafeMutableRawPointer, Original?) -> Void

    /// The thread's registered executor (unretained: registered only while its runtime runs).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Whether the hook is installed (checked once; true on Linux with Swift's runtime).
    static let isAvailable: Bool = {
        _ = key
        guard MemoryLayout<UnownedSerialExecutor>.size == 2 * MemoryLayout<Int>.size,
              MemoryLayout<UnownedJob>.size == MemoryLayout<Int>.size,
              let address = dlsym(defaultHandle, "swift_task_enqueueGlobal_hook")
        else { return false }
        let slot = address.assumingMemoryBound(to: Optional<Hook>.self)
        // Another hook already installed: leave it alone and keep preferences.
        guard slot.pointee == nil else { return false }
        slot.pointee = { job, original in
            if let registered = pthread_getspecific(SimulationThread.key) {
                Unmanaged<SimulationExecutor>.fromOpaque(registered).takeUnretainedValue()
                    .enqueueGlobalJob(unsafeBitCast(job, to: UnownedJob.self))
            } else {
                original!(job)
            }
        }
        return true
    }()

    /// `RTLD_DEFAULT`: every loaded image.
    private static var defaultHandle: UnsafeMutableRawPointer? {
        #if os(Linux)
        return nil
        #else
        return UnsafeMutableRawPointer(bitPattern: -2)
        #endif
    }

    /// The generic executor (`SerialExecutorRef::generic()`, both words zero): what the global
    /// executor runs its jobs on.
    static let genericExecutor = unsafeBitCast((0, 0) as (Int, Int), to: UnownedSerialExecutor.self)

    /// Runs `body` with `executor` registered for this thread: global enqueues made meanwhile
    /// on this thread go to it. Nests (the previous registration is restored).
    @inline(__always)
    static func withExecutor<Result>(_ executor: SimulationExecutor, _ body: () throws -> Result) rethrows -> Result {
        let mine = Unmanaged.passUnretained(executor).toOpaque()
        let previous = pthread_getspecific(key)
        if previous == mine { return try body() }
        pthread_setspecific(key, mine)
        defer { pthread_setspecific(key, previous) }
        return try body()
    }
}
