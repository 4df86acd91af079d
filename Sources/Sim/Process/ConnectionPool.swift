import DequeModule

// MARK: - A connection pool for processes

/// A checked-out connection: hand it back with ``ConnectionPool/checkin(_:)``.
public struct PooledConnection: Sendable, Hashable {
    let slot: Int32
    /// A pre-ping round trip the checkout left to the caller (``ConnectionPool/checkout(deferringPing:)``):
    /// to be added to the first statement's outbound trip; 0 otherwise.
    public let pendingDelay: SimTime

    init(slot: Int32, pendingDelay: SimTime = 0) {
        self.slot = slot
        self.pendingDelay = pendingDelay
    }
}

/// A pool of connections with SQLAlchemy `QueuePool` semantics (see ``TokenPool``), for
/// processes: `checkout()` returns at once when a pooled or overflow connection is free, or
/// waits FIFO up to the pool's timeout and then throws ``ProcessInterruption/timedOut`` —
/// the error a request sees when the pool is exhausted.
///
/// Each connection is tracked (its open time and whether the server closed it), so the pool
/// applies its ``ConnectionLifecycle`` at checkout: recycling, pre-ping, reconnection. Idle
/// connections are reused FIFO, as `QueuePool`'s queue (`pool_use_lifo=False`) does.
public final class ConnectionPool: @unchecked Sendable {
    /// One connection: when it was opened and whether the server has closed it.
    struct Connection {
        var openedAt: SimTime
        /// The server closed it; found at the next checkout.
        var dead = false
        /// A new overflow slot whose connection its first checkout opens.
        var unopened = false
    }

    private let runtime: ProcessRuntime
    /// The pool's state and statistics.
    public private(set) var pool: TokenPool<WakeToken>
    /// Recycling, pre-ping and their costs.
    public let lifecycle: ConnectionLifecycle
    /// What the lifecycle did so far (never reset: take differences to measure a stretch).
    public private(set) var counters = ConnectionPoolCounters()
    /// Whether ``close()`` was called.
    public private(set) var isClosed = false

    private var connections: [Connection] = []
    private var freeSlots: [Int32] = []
    /// Idle connections, oldest return first.
    private var idle: Deque<Int32> = []
    /// Checked-out connections in checkout order (for ``checkin()`` without a connection).
    private var checkedOutOrder: Deque<Int32> = []
    /// Connections handed by a checkin to a parked waiter, keyed by the waiter's token (a wait
    /// path only: never iterated).
    private var handoffs: [WakeToken: Int32] = [:]
    /// Connections opened before this time are reopened at checkout (the last disconnect seen).
    private var invalidatedAt: SimTime?
    /// Time the utilisation spent above the warning threshold, up to `highSince`.
    private var highTime: SimTime = 0
    private var highSince: SimTime?

    /// A pool of `size` open connections, up to `maxOverflow` more on demand, waiting at most
    /// `timeout`; `lifecycle` decides what a checkout costs (free by default).
    public init(runtime: ProcessRuntime, size: Int, maxOverflow: Int, timeout: SimTime,
                lifecycle: ConnectionLifecycle = .free) {
        self.runtime = runtime
        self.lifecycle = lifecycle
        pool = TokenPool(size: size, maxOverflow: maxOverflow, timeout: timeout, start: runtime.now)
        // The pool_size connections are open at deploy, at no cost to any request.
        connections = Array(repeating: Connection(openedAt: runtime.now), count: size)
        idle = Deque((0..<Int32(size)).map { $0 })
    }

    // MARK: Checking out and in

    /// Checks a connection out, waiting at most the pool's timeout, then applies the lifecycle
    /// (connect, recycle, pre-ping) at its cost; pair with ``checkin(_:)``. Throws
    /// ``ProcessInterruption/timedOut`` on a pool timeout, ``ConnectionPoolError/connectionLost``
    /// when the connection was dead and pre-ping is off (the connection is then already back in
    /// the pool), ``ConnectionPoolError/closed`` once the pool is closed.
    @discardableResult
    public func checkout() async throws -> PooledConnection {
        try await checkout(deferringPing: false)
    }

    /// ``checkout()``; with `deferringPing`, the pre-ping of a live connection is not slept here
    /// but returned as ``PooledConnection/pendingDelay`` for the caller to add to its first
    /// statement's outbound trip — the same simulated times with one sleep instead of two (a
    /// dead connection is still pinged, and replaced, before the checkout returns).
    public func checkout(deferringPing: Bool) async throws -> PooledConnection {
        guard !isClosed else { throw ConnectionPoolError.closed }
        var ticket: TokenPool<WakeToken>.WaitTicket?
        var slot: Int32?
        var waiter = WakeToken.none
        if pool.grantsAtOnce {
            // A free (or new overflow) connection: taken without parking. Parking and being woken
            // inside the park would not suspend either (the continuation is resumed before the
            // task suspends, so it runs straight on); this skips the continuation and the slot.
            guard case .granted(let overflow) = pool.acquire(WakeToken.none, at: runtime.now) else {
                preconditionFailure("ConnectionPool: a grantable checkout was queued")
            }
            slot = overflow ? openOverflow() : idle.removeFirst()
        } else {
            try await waitForConnection(&slot, &ticket, &waiter)
        }
        noteUtilisation()
        // A waiter was woken by a checkin that handed its connection over.
        let connection = slot ?? handoffs.removeValue(forKey: waiter)!
        let pending = try await prepare(connection, deferringPing: deferringPing)
        guard !isClosed else { throw ConnectionPoolError.closed }  // closed while it connected or pinged
        checkedOutOrder.append(connection)  // only once it is ready: `checkin()` never returns one in preparation
        return PooledConnection(slot: connection, pendingDelay: pending)
    }

    /// Parks the caller in the pool's wait line until a checkin hands it a connection (by
    /// `waiter`, in ``handoffs``) or its timeout; `slot` is set if the pool granted one at once.
    private func waitForConnection(_ slot: inout Int32?, _ ticket: inout TokenPool<WakeToken>.WaitTicket?,
                                   _ waiter: inout WakeToken) async throws {
        do {
            try await runtime.park { token in
                switch pool.acquire(token, at: runtime.now) {
                case .granted(let overflow):
                    slot = overflow ? openOverflow() : idle.removeFirst()
                    runtime.wake(token)
                case .queued(let waitTicket):
                    ticket = waitTicket
                    waiter = token
                    runtime.scheduleWake(token, at: runtime.now + pool.timeout, timingOut: true)
                }
            }
        } catch ProcessInterruption.timedOut {
            // A waiter of a closed pool belongs to a dead owner: no timeout is counted.
            if isClosed { throw ConnectionPoolError.closed }
            if let ticket { _ = pool.timeOut(ticket, at: runtime.now) }
            throw ProcessInterruption.timedOut
        }
    }

    /// Returns `connection`, handing it to the longest waiter if there is one.
    public func checkin(_ connection: PooledConnection) {
        guard !isClosed else { return }  // the pool closed while it was out: it is gone
        guard let index = checkedOutOrder.firstIndex(of: connection.slot) else {
            preconditionFailure("ConnectionPool: checkin of a connection that is not checked out")
        }
        checkedOutOrder.remove(at: index)
        release(connection.slot)
    }

    /// Returns the connection checked out longest ago (for callers that do not keep theirs).
    public func checkin() {
        guard !isClosed else { return }
        release(checkedOutOrder.removeFirst())
    }

    private func release(_ slot: Int32) {
        while true {
            let overflowBefore = pool.overflow
            guard let grant = pool.release(at: runtime.now) else {
                // Back to the pool, or closed when the pool already holds `size` idle ones.
                if pool.overflow < overflowBefore { close(slot) } else { idle.append(slot) }
                noteUtilisation()
                return
            }
            handoffs[grant.requester] = slot
            if runtime.wake(grant.requester) { return }
            handoffs.removeValue(forKey: grant.requester)  // a waiter gone at the run's end
        }
    }

    // MARK: The lifecycle at checkout

    /// Opens, recycles or reopens `slot` as needed, then pings it; the caller holds it meanwhile.
    /// Returns the ping left to the caller (`deferringPing` and a live connection), else 0.
    private func prepare(_ slot: Int32, deferringPing: Bool) async throws -> SimTime {
        let connection = connections[Int(slot)]
        if connection.unopened {
            try await connect(slot)
        } else if let recycle = lifecycle.recycle, runtime.now - connection.openedAt > recycle {
            counters.recycles += 1
            try await reopen(slot)
        } else if let invalidatedAt, connection.openedAt < invalidatedAt {
            counters.invalidationReconnects += 1
            try await reopen(slot)
        }
        if lifecycle.prePing {
            counters.pings += 1
            if deferringPing && !connections[Int(slot)].dead { return lifecycle.pingCost }
            try await sleep(lifecycle.pingCost)
            if connections[Int(slot)].dead {
                counters.pingReconnects += 1
                invalidatedAt = runtime.now
                try await reopen(slot)
            }
        } else if connections[Int(slot)].dead {
            // The statement fails on the dead connection after a round trip; the pool is
            // invalidated, so this connection and every older one reopen at their next checkout.
            try await sleep(lifecycle.pingCost)
            counters.connectionErrors += 1
            invalidatedAt = runtime.now
            // This connection is discarded now; its next checkout opens a new one (also when
            // the invalidation time equals its opening time, as with zero costs).
            counters.closed += 1
            connections[Int(slot)] = Connection(openedAt: runtime.now, unopened: true)
            release(slot)
            throw ConnectionPoolError.connectionLost
        }
        return 0
    }

    /// Closes `slot`'s connection and opens a new one in its place, paying the connect cost.
    private func reopen(_ slot: Int32) async throws {
        counters.closed += 1
        try await connect(slot)
    }

    /// Opens `slot`'s connection: the caller waits the connect cost.
    private func connect(_ slot: Int32) async throws {
        try await sleep(lifecycle.connectCost)
        connections[Int(slot)] = Connection(openedAt: runtime.now)
        counters.opened += 1
    }

    private func sleep(_ duration: SimTime) async throws {
        if duration > 0 { try await runtime.sleep(for: duration) }
    }

    // MARK: Opening and closing

    /// A slot for a new overflow connection, opened (and paid for) in ``prepare(_:)``.
    private func openOverflow() -> Int32 {
        let connection = Connection(openedAt: runtime.now, unopened: true)
        if let slot = freeSlots.popLast() {
            connections[Int(slot)] = connection
            return slot
        }
        connections.append(connection)
        return Int32(connections.count - 1)
    }

    private func close(_ slot: Int32) {
        if !connections[Int(slot)].unopened { counters.closed += 1 }  // a slot never opened closes nothing
        freeSlots.append(slot)
    }

    // MARK: Failures

    /// The server closed every open connection of this pool (a restart or failover): each is
    /// found dead at its next checkout — by the ping, or by a failing statement without pre-ping.
    /// A connection being opened at that instant (its connect cost still running) is not marked:
    /// it completes against the new server and comes back alive.
    public func serverClosedConnections() {
        for index in connections.indices where !connections[index].unopened { connections[index].dead = true }
    }

    /// The owning process died: every open connection closes, and checkouts throw
    /// ``ConnectionPoolError/closed`` — later ones at once, waiting ones (their process is gone
    /// too) at their timeout, without counting a pool timeout.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        noteUtilisation()
        let free = Set(freeSlots)  // membership only
        for slot in connections.indices where !free.contains(Int32(slot)) && !connections[slot].unopened {
            counters.closed += 1
        }
        idle.removeAll()
        checkedOutOrder.removeAll()
    }

    // MARK: Utilisation

    /// Total time the utilisation (`checkedOut / (size + overflow)`, the seed's formula) spent
    /// above the warning threshold (0.8) up to now, since the pool was created.
    public var highUtilisationTime: SimTime {
        highTime + (highSince.map { runtime.now - $0 } ?? 0)
    }

    private func noteUtilisation() {
        let now = runtime.now
        if pool.isHighlyUtilized && !isClosed {
            if highSince == nil { highSince = now }
        } else if let since = highSince {
            highTime += now - since
            highSince = nil
        }
    }
}
