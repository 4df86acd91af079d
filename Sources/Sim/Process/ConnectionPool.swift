// MARK: - A connection pool for processes

/// A pool of connections with SQLAlchemy `QueuePool` semantics (see ``TokenPool``), for
/// processes: `checkout()` returns at once when a pooled or overflow connection is free, or
/// waits FIFO up to the pool's timeout and then throws ``ProcessInterruption/timedOut`` —
/// the error a request sees when the pool is exhausted.
public final class ConnectionPool: @unchecked Sendable {
    private let runtime: ProcessRuntime
    /// The pool's state and statistics.
    public private(set) var pool: TokenPool<WakeToken>

    public init(runtime: ProcessRuntime, size: Int, maxOverflow: Int, timeout: SimTime) {
        self.runtime = runtime
        pool = TokenPool(size: size, maxOverflow: maxOverflow, timeout: timeout, start: runtime.now)
    }

    /// Checks a connection out, waiting at most the pool's timeout; pair with ``checkin()``.
    public func checkout() async throws {
        var ticket: TokenPool<WakeToken>.WaitTicket?
        do {
            try await runtime.park { token in
                switch pool.acquire(token, at: runtime.now) {
                case .granted:
                    runtime.wake(token)
                case .queued(let waitTicket):
                    ticket = waitTicket
                    runtime.scheduleWake(token, at: runtime.now + pool.timeout, timingOut: true)
                }
            }
        } catch ProcessInterruption.timedOut {
            if let ticket { _ = pool.timeOut(ticket, at: runtime.now) }
            throw ProcessInterruption.timedOut
        }
    }

    /// Returns a connection, handing it to the longest waiter if there is one.
    public func checkin() {
        while let grant = pool.release(at: runtime.now) {
            if runtime.wake(grant.requester) { return }
        }
    }
}
