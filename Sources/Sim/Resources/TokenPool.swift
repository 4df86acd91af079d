import DequeModule

// MARK: - Token pool (connection pool)

/// A pool of interchangeable tokens with overflow and a FIFO wait line with timeouts: the
/// simulated database connection pool, with SQLAlchemy `QueuePool` semantics.
///
/// - ``size`` (`pool_size`) connections are kept in the pool. The pool is treated as already
///   filled: connection set-up cost, if any, is the owner's to model.
/// - When all idle connections are out, up to ``maxOverflow`` (`max_overflow`) extra
///   *overflow* connections are opened on demand; `maxOverflow == -1` means unlimited (and,
///   as in SQLAlchemy, a pool of ``size`` 0 always has unlimited overflow). The overflow count
///   is SQLAlchemy's `pool.overflow()`: connections open beyond ``size``.
/// - When no connection is idle and the overflow is at its limit, the requester waits in a FIFO
///   line. The owner schedules a timeout event at `now + timeout` (`pool_timeout`) carrying the
///   ``WaitTicket``; the pool never looks at the clock except for statistics.
/// - A released connection goes to the first live waiter, if any (it stays checked out and the
///   overflow count is unchanged). Otherwise it returns to the pool — unless the pool already
///   holds ``size`` idle connections, in which case it is closed and the overflow count drops
///   by one, exactly as `QueuePool._do_return_conn` does when its queue is full. An overflow
///   connection returned while pooled ones are still out therefore stays open, idle, until
///   the pool fills up.
///
/// ### Owner protocol
/// ```swift
/// switch pool.acquire(request, at: now) {
/// case .granted: scheduler.schedule(after: holdTime, kind: release, target: request)
/// case .queued(let ticket):
///     scheduler.schedule(at: now + pool.timeout, kind: timeout, target: ticket.eventTarget)
/// }
/// // on release:
/// if let next = pool.release(at: now) { /* start next.requester; schedule its release */ }
/// // on timeout:
/// if let request = pool.timeOut(pool.ticket(eventTarget: event.target), at: now) {
///     /* the request fails with a pool timeout */
/// }   // nil: it was granted before its timeout fired — ignore the event
/// ```
///
/// Every operation is O(1) (amortised for the wait line's growth) and allocation-free apart
/// from that growth. Timed-out waiters are marked in place, never searched for: a ticket is the
/// waiter's sequence number, and its position in the line is `ticket − first ticket in line`.
public struct TokenPool<Requester>: Sendable where Requester: Sendable {
    // MARK: Types

    /// Identifies one wait in the line: the waiter's sequence number, unique within the pool.
    public struct WaitTicket: Sendable, Hashable, Comparable {
        /// The sequence number (0 for the first requester that ever waited, then 1, 2, …).
        public let rawValue: UInt64

        /// A ticket with the given sequence number.
        @inlinable
        public init(rawValue: UInt64) { self.rawValue = rawValue }

        /// The low 32 bits, to carry the ticket in an ``Event/target``; turn it back into the
        /// ticket with ``TokenPool/ticket(eventTarget:)``.
        @inlinable
        public var eventTarget: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

        @inlinable
        public static func < (lhs: WaitTicket, rhs: WaitTicket) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The outcome of ``acquire(_:at:)``.
    public enum Acquisition: Sendable, Equatable {
        /// A connection is checked out at once: an idle pooled one (`overflow == false`) or a
        /// newly opened overflow one (`overflow == true`).
        case granted(overflow: Bool)
        /// The requester waits; the owner schedules its timeout at `now + timeout`.
        case queued(ticket: WaitTicket)
    }

    /// A waiter that receives a released connection.
    public struct Grant: Sendable {
        /// The waiter.
        public var requester: Requester
        /// Its ticket (for an owner that cancels timeout events rather than ignoring them).
        public var ticket: WaitTicket
        /// When it started waiting.
        public var since: SimTime

        @inlinable
        public init(requester: Requester, ticket: WaitTicket, since: SimTime) {
            self.requester = requester
            self.ticket = ticket
            self.since = since
        }
    }

    /// One place in the wait line; `requester == nil` marks a waiter that timed out.
    @usableFromInline
    struct Waiter: Sendable {
        @usableFromInline var requester: Requester?
        @usableFromInline var since: SimTime

        @inlinable
        init(requester: Requester?, since: SimTime) {
            self.requester = requester
            self.since = since
        }
    }

    // MARK: Configuration

    /// Connections kept in the pool (`pool_size`).
    public let size: Int
    /// Most overflow connections open at once (`max_overflow`); −1 = unlimited.
    public let maxOverflow: Int
    /// How long a requester waits before it gives up (`pool_timeout`); the owner schedules it.
    public let timeout: SimTime
    /// The utilisation above which the pool counts as highly utilised (the seed warns above 0.8).
    public let warningThreshold: Double

    // MARK: State

    @usableFromInline var checkedOutCount = 0
    @usableFromInline var overflowCount = 0
    @usableFromInline var waitingCount = 0
    /// The wait line: live waiters and waiters marked as timed out; its head, if any, is live.
    @usableFromInline var line: Deque<Waiter> = []
    /// The ticket of `line.first`; tickets below it have left the line.
    @usableFromInline var headTicket: UInt64 = 0
    /// The ticket the next waiter gets (`headTicket + line.count`).
    @usableFromInline var nextTicket: UInt64 = 0
    @usableFromInline var grantedCount = 0
    @usableFromInline var overflowOpenedCount = 0
    @usableFromInline var timeoutCount = 0
    @usableFromInline var maxWaitingCount = 0
    @usableFromInline var highUtilizationEpisodes = 0
    @usableFromInline var aboveThreshold = false
    @usableFromInline var checkedOutAverage: TimeWeightedAverage
    @usableFromInline var waitingAverage: TimeWeightedAverage
    @usableFromInline var utilizationAverage: TimeWeightedAverage

    // MARK: Creating

    /// A pool at time `start` with every connection idle.
    ///
    /// - Parameters:
    ///   - size: `pool_size` (≥ 0).
    ///   - maxOverflow: `max_overflow` (≥ 0, or −1 for unlimited).
    ///   - timeout: `pool_timeout` (≥ 0).
    ///   - warningThreshold: the utilisation counted as high when exceeded.
    public init(size: Int = 10, maxOverflow: Int = 20,
                timeout: SimTime = 30 * SimClock.nanosecondsPerSecond,
                warningThreshold: Double = 0.8, start: SimTime = 0) {
        precondition(size >= 0, "pool size must not be negative")
        precondition(maxOverflow >= -1, "maxOverflow must be ≥ 0, or -1 for unlimited")
        precondition(timeout >= 0, "timeout must not be negative")
        self.size = size
        self.maxOverflow = size == 0 ? -1 : maxOverflow
        self.timeout = timeout
        self.warningThreshold = warningThreshold
        checkedOutAverage = TimeWeightedAverage(start: SimClock.seconds(start))
        waitingAverage = TimeWeightedAverage(start: SimClock.seconds(start))
        utilizationAverage = TimeWeightedAverage(start: SimClock.seconds(start))
    }

    // MARK: Current state

    /// Connections checked out (`pool.checkedout()`).
    @inlinable public var checkedOut: Int { checkedOutCount }
    /// Overflow connections open, in use or idle in the pool (`pool.overflow()`, never negative).
    @inlinable public var overflow: Int { overflowCount }
    /// Idle connections in the pool (`pool.checkedin()`).
    @inlinable public var checkedIn: Int { size + overflowCount - checkedOutCount }
    /// Requesters waiting (timed-out ones excluded).
    @inlinable public var waiting: Int { waitingCount }

    /// `checkedOut / (size + overflow)`, as the seed's `check_pool_health` computes it; 0 when
    /// no connection is open.
    @inlinable public var utilization: Double {
        let open = size + overflowCount
        return open > 0 ? Double(checkedOutCount) / Double(open) : 0
    }

    /// Whether ``utilization`` is above ``warningThreshold`` now.
    @inlinable public var isHighlyUtilized: Bool { aboveThreshold }

    /// Whether ``acquire(_:at:)`` would grant a connection now (an idle one, or a new overflow
    /// one) rather than queue the requester.
    @inlinable public var grantsAtOnce: Bool { hasIdle || mayOpenOverflow }
    /// An opened connection is idle.
    @inlinable var hasIdle: Bool { checkedOutCount < size + overflowCount }
    /// Another overflow connection may be opened.
    @inlinable var mayOpenOverflow: Bool { maxOverflow < 0 || overflowCount < maxOverflow }

    // MARK: Acquiring and releasing

    /// `requester` asks for a connection at `now`: it gets an idle one, or a new overflow one,
    /// or it joins the wait line and the owner schedules its timeout at `now + timeout`.
    @inlinable
    public mutating func acquire(_ requester: Requester, at now: SimTime) -> Acquisition {
        if hasIdle {
            checkedOutCount += 1
            grantedCount += 1
            levelsChanged(at: now)
            return .granted(overflow: false)
        }
        if mayOpenOverflow {
            overflowCount += 1
            checkedOutCount += 1
            grantedCount += 1
            overflowOpenedCount += 1
            levelsChanged(at: now)
            return .granted(overflow: true)
        }
        let ticket = WaitTicket(rawValue: nextTicket)
        nextTicket &+= 1
        line.append(Waiter(requester: requester, since: now))
        waitingCount += 1
        if waitingCount > maxWaitingCount { maxWaitingCount = waitingCount }
        waitingAverage.update(to: Double(waitingCount), at: SimClock.seconds(now))
        return .queued(ticket: ticket)
    }

    /// A connection is released at `now`. Returns the first live waiter, which now holds the
    /// connection (the owner cancels or ignores its timeout), or `nil` when nobody waits and
    /// the connection went back to the pool or, the pool being full, was closed.
    @inlinable
    public mutating func release(at now: SimTime) -> Grant? {
        precondition(checkedOutCount > 0, "release without a checked-out connection")
        if let first = line.popFirst() {  // the head of a non-empty line is a live waiter
            let ticket = WaitTicket(rawValue: headTicket)
            headTicket &+= 1
            dropTimedOutHead()
            waitingCount -= 1
            grantedCount += 1
            waitingAverage.update(to: Double(waitingCount), at: SimClock.seconds(now))
            return Grant(requester: first.requester!, ticket: ticket, since: first.since)
        }
        if checkedIn == size { overflowCount -= 1 }  // the pool is full: close this connection
        checkedOutCount -= 1
        levelsChanged(at: now)
        return nil
    }

    /// The timeout of `ticket` fired at `now`. Returns the waiter, now removed from the line
    /// (its request fails), or `nil` when it is no longer waiting — it was granted a connection
    /// first, or it already timed out — and the owner must ignore the event. O(1).
    @inlinable
    public mutating func timeOut(_ ticket: WaitTicket, at now: SimTime) -> Requester? {
        guard ticket.rawValue >= headTicket, ticket.rawValue < nextTicket else { return nil }
        let index = Int(ticket.rawValue &- headTicket)  // Deque indices start at 0
        guard let requester = line[index].requester else { return nil }
        line[index].requester = nil
        waitingCount -= 1
        timeoutCount += 1
        dropTimedOutHead()
        waitingAverage.update(to: Double(waitingCount), at: SimClock.seconds(now))
        return requester
    }

    /// The ticket whose ``WaitTicket/eventTarget`` is `eventTarget`: the most recent ticket
    /// issued with those low 32 bits. Exact as long as fewer than 2³² requesters joined the line
    /// between the ticket's issue and this call — always true for a timeout event.
    @inlinable
    public func ticket(eventTarget: UInt32) -> WaitTicket {
        let back = UInt32(truncatingIfNeeded: nextTicket) &- eventTarget  // distance from nextTicket
        return WaitTicket(rawValue: nextTicket &- UInt64(back == 0 ? 1 << 32 : back))
    }

    /// Drops timed-out waiters from the head of the line, so that the head is always live.
    @inlinable
    mutating func dropTimedOutHead() {
        while let first = line.first, first.requester == nil {
            line.removeFirst()
            headTicket &+= 1
        }
    }

    @inlinable
    mutating func levelsChanged(at now: SimTime) {
        let time = SimClock.seconds(now)
        checkedOutAverage.update(to: Double(checkedOutCount), at: time)
        let current = utilization
        utilizationAverage.update(to: current, at: time)
        if current > warningThreshold {
            if !aboveThreshold { highUtilizationEpisodes += 1; aboveThreshold = true }
        } else {
            aboveThreshold = false
        }
    }

    // MARK: Statistics

    /// Connections handed out since the last reset: at once or after a wait.
    @inlinable public var grantedTotal: Int { grantedCount }
    /// Overflow connections opened since the last reset.
    @inlinable public var overflowOpenedTotal: Int { overflowOpenedCount }
    /// Waiters that timed out since the last reset.
    @inlinable public var timeoutsTotal: Int { timeoutCount }
    /// The longest the wait line has been since the last reset.
    @inlinable public var maxWaiting: Int { maxWaitingCount }
    /// How many times ``utilization`` rose above ``warningThreshold`` since the last reset (each
    /// rise counts once, however long it stays above).
    @inlinable public var highUtilizationCount: Int { highUtilizationEpisodes }
    /// Time-weighted number of connections checked out.
    @inlinable public var checkedOutLevel: TimeWeightedAverage { checkedOutAverage }
    /// Time-weighted number of waiters.
    @inlinable public var waitingLevel: TimeWeightedAverage { waitingAverage }
    /// Time-weighted ``utilization`` (the seed's formula, tracked at every change).
    @inlinable public var utilizationLevel: TimeWeightedAverage { utilizationAverage }

    /// Restarts the statistics at `now`, keeping the current state (warm-up deletion): totals
    /// go to zero, ``maxWaiting`` to the current line length, ``highUtilizationCount`` to 1 if
    /// the pool is highly utilised now and 0 otherwise.
    public mutating func resetStatistics(at now: SimTime) {
        let time = SimClock.seconds(now)
        checkedOutAverage.reset(at: time)
        waitingAverage.reset(at: time)
        utilizationAverage.reset(at: time)
        grantedCount = 0
        overflowOpenedCount = 0
        timeoutCount = 0
        maxWaitingCount = waitingCount
        highUtilizationEpisodes = aboveThreshold ? 1 : 0
    }
}
