// Issue 12, step 3: what a simulated process's suspension costs under three arrangements.
//
// Every arrangement runs the same workload: `processes` processes, each suspending `cycles`
// times; a single-threaded run loop resumes them one at a time from a FIFO of parked slots (the
// event list's role, kept trivial so the arrangement's cost is what is measured). Timed in one
// process, one after another, repeated `rounds` times; the median per arrangement is printed as
// nanoseconds per suspension and as a ratio to the first arrangement.
//
// 1. preference: what ProcessRuntime does today. Each process is a task created with
//    `Task(executorPreference:)` on a `TaskExecutor` that queues jobs for the run loop; it
//    parks on an `UnsafeContinuation`; nonisolated async code (NonisolatedNonsendingByDefault
//    on, as in Sim and TaskSystem).
// 2. hook: tasks with no preference; the runtime's global-enqueue hook sends their jobs to the
//    run loop's queue (an isolated actor alone does not work: see below), so neither a switch
//    nor a resume reads a preference under the task's status-record lock.
// 3. state machine: no tasks at all; a process is a value with a `step()` the run loop calls
//    (what a hand-written state machine per process would cost: the floor).
//
// Build and run (not part of the package; the numbers are in docs/performance.md):
//   swiftc -O -enforce-exclusivity=unchecked -parse-as-library \
//       -enable-upcoming-feature NonisolatedNonsendingByDefault \
//       -o /tmp/executor-prototype bench/executor-prototype/main.swift
//   /tmp/executor-prototype [processes] [cycles] [rounds]

import Foundation

// MARK: - The shared run loop: parked continuations resumed FIFO

/// Parked processes, resumed in the order they parked (the stand-in for the event list).
final class Parking<Continuation>: @unchecked Sendable {
    var parked: [Continuation] = []
    var next = 0

    func park(_ continuation: Continuation) { parked.append(continuation) }

    /// The next parked continuation, or nil when none is left.
    func take() -> Continuation? {
        if next == parked.count {
            parked.removeAll(keepingCapacity: true)
            next = 0
            return nil
        }
        defer { next += 1 }
        return parked[next]
    }
}

// MARK: - 1. Tasks with an executor preference (today's ProcessRuntime)

final class QueueTaskExecutor: TaskExecutor, @unchecked Sendable {
    var jobs: [UnownedJob] = []
    var next = 0

    func enqueue(_ job: consuming ExecutorJob) { jobs.append(UnownedJob(job)) }

    func drain() {
        while next < jobs.count {
            let job = jobs[next]
            next += 1
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
        jobs.removeAll(keepingCapacity: true)
        next = 0
    }
}

final class PreferenceRuntime: @unchecked Sendable {
    let executor = QueueTaskExecutor()
    let parking = Parking<UnsafeContinuation<Void, Never>>()
    var finished = 0

    func suspend() async {
        await withUnsafeContinuation { parking.park($0) }
    }

    func run(processes: Int, cycles: Int) {
        for _ in 0..<processes {
            Task(executorPreference: executor) { [self] in
                for _ in 0..<cycles { await suspend() }
                finished += 1
            }
        }
        executor.drain()
        while let continuation = parking.take() {
            continuation.resume()
            executor.drain()
            while let more = parking.take() {
                more.resume()
                executor.drain()
            }
        }
        precondition(finished == processes, "preference: \(finished) of \(processes) finished")
    }
}

// MARK: - 2. Tasks without a preference; the global executor's enqueue hook feeds the run loop

// A task isolated to an actor on the run loop's serial executor (`Task { @LoopActor in … }`) is
// not enough: a resumed `UnsafeContinuation` first goes to the generic executor (the global
// concurrent pool, on another thread), and only then hops back to the actor. Without a
// preference, the generic executor is the global one, whose enqueue the runtime lets a program
// replace (`swift_task_enqueueGlobal_hook`). Here every global enqueue goes to the loop's
// queue: tasks carry no preference, so neither the switch nor the resume reads one.

typealias EnqueueOriginal = @convention(c) (UnsafeMutableRawPointer) -> Void
typealias EnqueueHook = @convention(c) (UnsafeMutableRawPointer, EnqueueOriginal?) -> Void

@_silgen_name("swift_job_run")
func swiftJobRun(_ job: UnownedJob, _ executor: UnownedSerialExecutor)

/// The loop's queue of jobs the hook received (a real runtime would keep one per simulation
/// thread, in a thread-local, and pass other threads' jobs to `original`).
nonisolated(unsafe) var hookedJobs: [UnsafeMutableRawPointer] = []

func installEnqueueHook() {
    let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "swift_task_enqueueGlobal_hook")!
    let hook: EnqueueHook = { job, _ in hookedJobs.append(job) }
    address.assumingMemoryBound(to: Optional<EnqueueHook>.self).pointee = hook
}

func uninstallEnqueueHook() {
    let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "swift_task_enqueueGlobal_hook")!
    address.assumingMemoryBound(to: Optional<EnqueueHook>.self).pointee = nil
}

/// The generic executor (`SerialExecutorRef::generic()`: both words zero).
let genericExecutor = unsafeBitCast((0, 0) as (Int, Int), to: UnownedSerialExecutor.self)

func drainHookedJobs() {
    var next = 0
    while next < hookedJobs.count {
        let job = unsafeBitCast(hookedJobs[next], to: UnownedJob.self)
        next += 1
        swiftJobRun(job, genericExecutor)
    }
    hookedJobs.removeAll(keepingCapacity: true)
}

final class HookRuntime: @unchecked Sendable {
    let parking = Parking<UnsafeContinuation<Void, Never>>()
    var finished = 0

    func suspend() async {
        await withUnsafeContinuation { parking.park($0) }
    }

    func run(processes: Int, cycles: Int) {
        for _ in 0..<processes {
            Task { [self] in
                for _ in 0..<cycles { await suspend() }
                finished += 1
            }
        }
        drainHookedJobs()
        while let continuation = parking.take() {
            continuation.resume()
            drainHookedJobs()
            while let more = parking.take() {
                more.resume()
                drainHookedJobs()
            }
        }
        precondition(finished == processes, "hook: \(finished) of \(processes) finished")
    }
}

// MARK: - 3. Explicit state machines (no tasks)

struct CountingProcess {
    var remaining: Int
    /// One step: true while the process has more suspensions to do.
    mutating func step() -> Bool {
        remaining -= 1
        return remaining > 0
    }
}

final class MachineRuntime {
    var processes: [CountingProcess] = []
    let parking = Parking<Int>()
    var finished = 0

    func run(processes count: Int, cycles: Int) {
        processes = Array(repeating: CountingProcess(remaining: cycles), count: count)
        for index in 0..<count { parking.park(index) }
        while let index = parking.take() {
            if processes[index].step() { parking.park(index) } else { finished += 1 }
            while let more = parking.take() {
                if processes[more].step() { parking.park(more) } else { finished += 1 }
            }
        }
        precondition(finished == count, "machine: \(finished) of \(count) finished")
    }
}

// MARK: - Timing

/// CPU seconds (the process's: the machine is shared, so wall time would measure the load).
func seconds(_ body: () -> Void) -> Double {
    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    let start = now()
    body()
    return now() - start
}

@main
struct ExecutorPrototype {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let processes = arguments.count > 0 ? arguments[0] : 10_000
        let cycles = arguments.count > 1 ? arguments[1] : 200
        let rounds = arguments.count > 2 ? arguments[2] : 5
        let suspensions = Double(processes * cycles)
        var times: [String: [Double]] = ["preference": [], "hook": [], "state machine": []]
        for _ in 0..<rounds {
            times["preference"]!.append(seconds { PreferenceRuntime().run(processes: processes, cycles: cycles) })
            installEnqueueHook()
            times["hook"]!.append(seconds { HookRuntime().run(processes: processes, cycles: cycles) })
            uninstallEnqueueHook()
            times["state machine"]!.append(seconds { MachineRuntime().run(processes: processes, cycles: cycles) })
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let reference = median(times["preference"]!)
        print("\(processes) processes × \(cycles) suspensions, median of \(rounds) rounds")
        for name in ["preference", "hook", "state machine"] {
            let value = median(times[name]!)
            let nanoseconds = value / suspensions * 1e9
            print(String(format: "%-14@ %8.1f ns per suspension  %.3f× of preference", name as NSString,
                         nanoseconds, value / reference))
        }
    }
}
