// MARK: - A multi-server station for processes

/// `servers` identical servers that processes hold while they work: a CPU with its cores, a
/// database instance with its worker threads. Waiting processes queue FIFO, or by priority
/// level; a released server passes straight to the next waiter.
public final class ServerPool: @unchecked Sendable {
    private let runtime: ProcessRuntime
    /// The queue and its time-weighted statistics.
    public private(set) var queue: MultiServerQueue<WakeToken>

    public init(runtime: ProcessRuntime, servers: Int, discipline: MultiServerQueue<WakeToken>.Discipline = .fifo) {
        self.runtime = runtime
        queue = MultiServerQueue(servers: servers, discipline: discipline, start: runtime.now)
    }

    /// Waits for a server and holds it; pair with ``release()``. A free server is taken
    /// without suspending.
    public func acquire(level: Int = 0, file: StaticString = #fileID, line: UInt = #line) async throws {
        if queue.busy < queue.servers {
            _ = queue.arrive(WakeToken.none, level: level, at: runtime.now)
            return
        }
        try await runtime.park(file: file, line: line) { token in
            _ = queue.arrive(token, level: level, at: runtime.now)
        }
    }

    /// Frees the held server, handing it to the next waiter if there is one.
    public func release() {
        // `depart` passes the server to the next waiter (it stays busy) or frees it. A waiter
        // that is gone (interrupted at the end of a run) cannot take it: depart again.
        while let next = queue.depart(at: runtime.now) {
            if runtime.wake(next.customer) { return }
        }
    }

    /// Holds a server for `duration` of simulated time (waiting for one first).
    public func serve(for duration: SimTime, level: Int = 0, file: StaticString = #fileID, line: UInt = #line)
        async throws
    {
        try await acquire(level: level, file: file, line: line)
        defer { release() }
        try await runtime.sleep(for: duration, file: file, line: line)
    }

    // MARK: For state machines

    /// ``acquire(level:file:line:)`` for a state machine: `step` runs holding a server — at
    /// once when one is free (as the process would have gone on without suspending), else when a
    /// release hands it one (where the process would have been resumed) — or with the
    /// interruption that ended the wait (holding nothing).
    public func acquire(level: Int = 0, file: StaticString = #fileID, line: UInt = #line,
                        then step: @escaping ProcessStep) {
        if queue.busy < queue.servers {
            _ = queue.arrive(WakeToken.none, level: level, at: runtime.now)
            return step(nil)
        }
        runtime.park(file: file, line: line, { token in
            _ = queue.arrive(token, level: level, at: runtime.now)
        }, then: step)
    }

    /// ``acquire(level:file:line:then:)`` for a ``ProcessMachine``: `stage` runs holding a
    /// server — at once when one is free, else when a release hands it one — or with the
    /// interruption that ended the wait (holding nothing). The machine calls ``release()``.
    public func acquire(level: Int = 0, file: StaticString = #fileID, line: UInt = #line,
                        _ machine: any ProcessMachine, stage: UInt32) {
        if queue.busy < queue.servers {
            _ = queue.arrive(WakeToken.none, level: level, at: runtime.now)
            return machine.run(stage: stage, interruption: nil)
        }
        runtime.park(file: file, line: line, { token in
            _ = queue.arrive(token, level: level, at: runtime.now)
        }, machine, stage: stage)
    }

    /// ``serve(for:level:file:line:)`` for a state machine: `step` runs once the server was held
    /// for `duration` and released, or with the interruption that ended the wait (the server, if
    /// held, released first, as the `async` version's `defer` does).
    public func serve(for duration: SimTime, level: Int = 0, file: StaticString = #fileID, line: UInt = #line,
                      then step: @escaping ProcessStep) {
        acquire(level: level, file: file, line: line) { [self] interruption in
            if let interruption { return step(interruption) }
            runtime.after(duration, file: file, line: line) { [self] interruption in
                release()
                step(interruption)
            }
        }
    }
}
