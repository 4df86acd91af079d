// MARK: - Calendar queue

/// A calendar queue (R. Brown, "Calendar queues", CACM 31(10), 1988): events hash by time into
/// buckets ("days") of a fixed width; a year is `buckets.count` days. Dequeue walks the days of
/// the current year from the last position, so insert and remove are O(1) on average when the
/// bucket width fits the spacing of the events. The number of buckets doubles or halves with the
/// event count, and the width is re-estimated from the spacing of the earliest events.
///
/// Each bucket is kept in descending order so its earliest event is removed from the end.
public struct CalendarQueue: FutureEventList {
    @usableFromInline var buckets: [[Event]]
    @usableFromInline var bucketWidth: SimTime
    @usableFromInline var storedCount: Int
    /// The bucket the last event was removed from.
    @usableFromInline var currentBucket: Int
    /// The end (exclusive) of the current bucket's day in the current year.
    @usableFromInline var currentDayEnd: SimTime

    /// An empty calendar with 2 buckets of 1 ms; both adapt as events arrive.
    public init() {
        self.init(bucketCount: 2, bucketWidth: 1_000_000)
    }

    @usableFromInline
    init(bucketCount: Int, bucketWidth: SimTime) {
        buckets = Array(repeating: [], count: bucketCount)
        self.bucketWidth = max(1, bucketWidth)
        storedCount = 0
        currentBucket = 0
        currentDayEnd = self.bucketWidth
    }

    @inlinable public var count: Int { storedCount }

    public var first: Event? {
        var best: Event?
        for bucket in buckets {
            if let candidate = bucket.last, best.map({ candidate.precedes($0) }) ?? true { best = candidate }
        }
        return best
    }

    // MARK: Insert

    @inlinable
    public mutating func insert(_ event: Event) {
        place(event)
        storedCount += 1
        if storedCount > 2 * buckets.count { resize(bucketCount: 2 * buckets.count) }
    }

    @inlinable @inline(__always)
    mutating func bucketIndex(for time: SimTime) -> Int {
        Int((time / bucketWidth) % SimTime(buckets.count))
    }

    /// Puts `event` into its bucket, keeping the bucket in descending order.
    @inlinable
    mutating func place(_ event: Event) {
        let index = bucketIndex(for: event.time)
        var position = buckets[index].count
        while position > 0 && buckets[index][position - 1].precedes(event) { position -= 1 }
        buckets[index].insert(event, at: position)
    }

    // MARK: Remove

    @inlinable
    public mutating func removeFirst() -> Event? {
        if storedCount == 0 { return nil }
        var index = currentBucket
        var dayEnd = currentDayEnd
        for _ in 0..<buckets.count {
            if let candidate = buckets[index].last, candidate.time < dayEnd {
                return take(from: index, dayEnd: dayEnd)
            }
            index += 1
            if index == buckets.count { index = 0 }
            dayEnd += bucketWidth
        }
        // A whole year without an event: jump straight to the earliest one.
        var best = -1
        for candidateIndex in buckets.indices {
            guard let candidate = buckets[candidateIndex].last else { continue }
            if best < 0 || candidate.precedes(buckets[best].last!) { best = candidateIndex }
        }
        let time = buckets[best].last!.time
        return take(from: best, dayEnd: (time / bucketWidth + 1) * bucketWidth)
    }

    @inlinable
    mutating func take(from index: Int, dayEnd: SimTime) -> Event {
        let event = buckets[index].removeLast()
        currentBucket = index
        currentDayEnd = dayEnd
        storedCount -= 1
        if buckets.count > 2 && storedCount < buckets.count / 2 { resize(bucketCount: buckets.count / 2) }
        return event
    }

    // MARK: Resize

    /// Rebuilds the calendar with `bucketCount` buckets and a width fitted to the earliest events.
    @usableFromInline
    mutating func resize(bucketCount: Int) {
        var events: [Event] = []
        events.reserveCapacity(storedCount)
        for bucket in buckets { events.append(contentsOf: bucket) }
        events.sort { $0.precedes($1) }
        let width = Self.estimateWidth(sortedEvents: events) ?? bucketWidth
        buckets = Array(repeating: [], count: bucketCount)
        bucketWidth = width
        for event in events.reversed() { place(event) }
        if let earliest = events.first {
            currentBucket = bucketIndex(for: earliest.time)
            currentDayEnd = (earliest.time / bucketWidth + 1) * bucketWidth
        }
    }

    /// Brown's estimate: three times the mean gap between the earliest events, ignoring gaps
    /// more than twice the first mean (outliers). `nil` when the events do not tell.
    static func estimateWidth(sortedEvents events: [Event]) -> SimTime? {
        let sample = events.prefix(26)
        guard sample.count >= 2 else { return nil }
        var gaps: [SimTime] = []
        for (earlier, later) in zip(sample, sample.dropFirst()) { gaps.append(later.time - earlier.time) }
        let mean = Double(gaps.reduce(0, +)) / Double(gaps.count)
        let kept = gaps.filter { Double($0) <= 2 * mean }
        let keptMean = kept.isEmpty ? mean : Double(kept.reduce(0, +)) / Double(kept.count)
        guard keptMean > 0 else { return nil }
        return max(1, SimTime(3 * keptMean))
    }
}
