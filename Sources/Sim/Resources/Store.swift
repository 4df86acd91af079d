import DequeModule

// MARK: - Store

/// A SimPy-style store: a FIFO buffer of at most ``capacity`` items, with FIFO lines of
/// processes waiting to put (when it is full) and to get (when it is empty).
///
/// Exact semantics (the store decides; the owner resumes processes and schedules events):
/// - ``put(_:by:at:)``: if getters wait (the store is then empty), the item goes straight to
///   the first of them — returned so the owner can resume it with the item; otherwise, if fewer
///   than ``capacity`` items are stored, it is appended; otherwise the putter waits, holding its
///   item.
/// - ``get(_:at:)``: if items are stored, the oldest is returned; if putters wait (the store
///   was then full), the first one's item is appended in the freed place and that putter is
///   returned so the owner can resume it. Otherwise the getter waits.
/// - Both lines are served strictly in arrival order; nothing is ever dropped or reordered.
///
/// Invariants: getters wait only while the store is empty; putters only while it is full.
public struct Store<Item, Process>: Sendable where Item: Sendable, Process: Sendable {
    // MARK: Types

    /// A process waiting in a line, with the time it started waiting.
    public struct Waiting: Sendable {
        /// The process.
        public var process: Process
        /// When it started waiting.
        public var since: SimTime

        @inlinable
        public init(process: Process, since: SimTime) {
            self.process = process
            self.since = since
        }
    }

    /// The outcome of ``put(_:by:at:)``.
    public enum PutResult: Sendable {
        /// The item is stored.
        case stored
        /// The item went straight to this waiting getter; the owner resumes it with the item.
        case handedOff(to: Waiting)
        /// The store is full: the putter waits with its item.
        case blocked
    }

    /// The outcome of ``get(_:at:)``.
    public enum GetResult: Sendable {
        /// The getter takes `item` at once. `resumedPutter`, when not `nil`, is the waiting
        /// putter whose item took the freed place; the owner resumes it.
        case item(Item, resumedPutter: Waiting?)
        /// The store is empty: the getter waits.
        case blocked
    }

    // MARK: State

    /// The most items the store holds.
    public let capacity: Int
    @usableFromInline var items: Deque<Item> = []
    @usableFromInline var putters: Deque<(waiting: Waiting, item: Item)> = []
    @usableFromInline var getters: Deque<Waiting> = []
    @usableFromInline var putCount = 0
    @usableFromInline var getCount = 0
    @usableFromInline var levelAverage: TimeWeightedAverage

    /// An empty store at time `start` holding at most `capacity` (≥ 1) items; unbounded by default.
    public init(capacity: Int = .max, start: SimTime = 0) {
        precondition(capacity >= 1, "a store holds at least one item")
        self.capacity = capacity
        levelAverage = TimeWeightedAverage(start: SimClock.seconds(start))
    }

    /// Items stored.
    @inlinable public var count: Int { items.count }
    /// Processes waiting to put.
    @inlinable public var waitingPutters: Int { putters.count }
    /// Processes waiting to get.
    @inlinable public var waitingGetters: Int { getters.count }
    /// Items put and accepted (stored or handed off) since the last reset; waiting puts excluded.
    @inlinable public var putsTotal: Int { putCount }
    /// Items taken by getters since the last reset (at once or after a wait).
    @inlinable public var getsTotal: Int { getCount }
    /// Time-weighted number of items stored.
    @inlinable public var level: TimeWeightedAverage { levelAverage }

    // MARK: Putting and getting

    /// `putter` offers `item` at `now`.
    @inlinable
    public mutating func put(_ item: Item, by putter: Process, at now: SimTime) -> PutResult {
        if let getter = getters.popFirst() {
            putCount += 1
            getCount += 1
            return .handedOff(to: getter)
        }
        if items.count < capacity {
            items.append(item)
            putCount += 1
            levelAverage.update(to: Double(items.count), at: SimClock.seconds(now))
            return .stored
        }
        putters.append((Waiting(process: putter, since: now), item))
        return .blocked
    }

    /// `getter` asks for an item at `now`.
    @inlinable
    public mutating func get(_ getter: Process, at now: SimTime) -> GetResult {
        guard let item = items.popFirst() else {
            getters.append(Waiting(process: getter, since: now))
            return .blocked
        }
        getCount += 1
        var resumed: Waiting?
        if let putter = putters.popFirst() {
            items.append(putter.item)
            putCount += 1
            resumed = putter.waiting
        } else {
            levelAverage.update(to: Double(items.count), at: SimClock.seconds(now))
        }
        return .item(item, resumedPutter: resumed)
    }

    // MARK: Statistics

    /// Restarts the statistics at `now`, keeping the contents and the lines (warm-up deletion).
    public mutating func resetStatistics(at now: SimTime) {
        levelAverage.reset(at: SimClock.seconds(now))
        putCount = 0
        getCount = 0
    }
}
