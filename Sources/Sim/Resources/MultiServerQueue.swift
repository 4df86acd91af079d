import DequeModule

// MARK: - Multi-server queue

/// A station with `servers` identical servers and a waiting line, non-preemptive.
///
/// The queue decides who is served and keeps the time-weighted statistics of the number busy
/// and the number waiting; the owner schedules service completions and does the timing of
/// individual customers (it gets back, with each customer that starts service, the time it
/// joined the line).
///
/// Disciplines: ``Discipline/fifo`` serves in arrival order; ``Discipline/priority(levels:)``
/// serves the lowest priority level first and arrival order within a level.
public struct MultiServerQueue<Customer>: Sendable where Customer: Sendable {
    /// How waiting customers are chosen.
    public enum Discipline: Sendable, Equatable {
        /// First in, first out.
        case fifo
        /// Lowest level (0 = most urgent) first, FIFO within a level; `levels` levels.
        case priority(levels: Int)
    }

    /// A customer waiting for a server, with the time it joined the line.
    public struct Waiting: Sendable {
        /// The customer.
        public var customer: Customer
        /// When it joined the line.
        public var since: SimTime

        @inlinable
        public init(customer: Customer, since: SimTime) {
            self.customer = customer
            self.since = since
        }
    }

    /// The number of servers.
    public let servers: Int
    /// The discipline.
    public let discipline: Discipline
    /// Servers currently busy.
    @inlinable public var busy: Int { busyCount }
    /// Customers currently waiting.
    @inlinable public var waiting: Int { waitingCount }

    @usableFromInline var busyCount = 0
    @usableFromInline var waitingCount = 0
    /// The line of a FIFO queue (kept apart so FIFO pays for one container, not two).
    @usableFromInline var fifoLine = Deque<Waiting>()
    /// The lines of a priority queue, one per level.
    @usableFromInline var lines: [Deque<Waiting>]
    /// Time-weighted number of busy servers.
    @inlinable public var busyLevel: TimeWeightedAverage { busyAverage }
    /// Time-weighted number of waiting customers.
    @inlinable public var queueLevel: TimeWeightedAverage { queueAverage }
    @usableFromInline var busyAverage: TimeWeightedAverage
    @usableFromInline var queueAverage: TimeWeightedAverage

    /// A queue at time `start` with all servers idle.
    public init(servers: Int, discipline: Discipline = .fifo, start: SimTime = 0) {
        precondition(servers > 0, "a queue needs at least one server")
        self.servers = servers
        self.discipline = discipline
        switch discipline {
        case .fifo: lines = []
        case .priority(let levels):
            precondition(levels > 0, "a priority queue needs at least one level")
            lines = Array(repeating: Deque(), count: levels)
        }
        busyAverage = TimeWeightedAverage(start: SimClock.seconds(start))
        queueAverage = TimeWeightedAverage(start: SimClock.seconds(start))
    }

    // MARK: Arrivals and departures

    /// A customer arrives at `now`. Returns `true` when a server was free and it starts service
    /// at once (the owner schedules its completion), `false` when it joined the line.
    ///
    /// `level` is the customer's priority level under ``Discipline/priority(levels:)`` (0 is
    /// the most urgent, below `levels`); a FIFO queue ignores it.
    @inlinable @inline(__always)
    public mutating func arrive(_ customer: Customer, level: Int = 0, at now: SimTime) -> Bool {
        precondition(discipline == .fifo || (level >= 0 && level < lines.count),
                     "priority level \(level) outside 0..<\(lines.count)")
        if busyCount < servers {
            busyCount += 1
            busyAverage.update(to: Double(busyCount), at: SimClock.seconds(now))
            return true
        }
        if lines.isEmpty {
            fifoLine.append(Waiting(customer: customer, since: now))
        } else {
            lines[level].append(Waiting(customer: customer, since: now))
        }
        waitingCount += 1
        queueAverage.update(to: Double(waitingCount), at: SimClock.seconds(now))
        return false
    }

    /// A server finishes at `now`. Returns the next customer to start service on it (with the
    /// time it joined the line), or `nil` when the line is empty and the server goes idle.
    @inlinable @inline(__always)
    public mutating func depart(at now: SimTime) -> Waiting? {
        precondition(busyCount > 0, "a departure from a queue with no busy server")
        if waitingCount > 0 {
            if lines.isEmpty {
                let next = fifoLine.removeFirst()
                waitingCount -= 1
                queueAverage.update(to: Double(waitingCount), at: SimClock.seconds(now))
                return next
            }
            for line in lines.indices where !lines[line].isEmpty {
                let next = lines[line].removeFirst()
                waitingCount -= 1
                queueAverage.update(to: Double(waitingCount), at: SimClock.seconds(now))
                return next
            }
        }
        busyCount -= 1
        busyAverage.update(to: Double(busyCount), at: SimClock.seconds(now))
        return nil
    }

    // MARK: Statistics

    /// Restarts the time-weighted statistics at `now`, keeping the current levels (warm-up deletion).
    public mutating func resetStatistics(at now: SimTime) {
        busyAverage.reset(at: SimClock.seconds(now))
        queueAverage.reset(at: SimClock.seconds(now))
    }

    /// Mean fraction of servers busy since the last reset.
    public func utilization(at now: SimTime) -> Double {
        busyLevel.mean(at: SimClock.seconds(now)) / Double(servers)
    }

    /// Mean number waiting since the last reset.
    public func meanQueueLength(at now: SimTime) -> Double {
        queueLevel.mean(at: SimClock.seconds(now))
    }
}
