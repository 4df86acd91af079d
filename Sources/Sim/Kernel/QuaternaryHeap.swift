import BasicContainers

// MARK: - 4-ary heap

/// A 4-ary min-heap of events in one contiguous buffer.
///
/// Four children per node halve the depth of a binary heap and keep siblings in one or two
/// cache lines (4 × 24 bytes), which makes sifting down cheaper: O(log₄ n) per operation.
///
/// The heap is noncopyable: it owns its events in a swift-collections `UniqueArray` (noncopyable,
/// one owner), so inserts and removals write in place with no copy-on-write check. A scheduler
/// or simulation holding it is noncopyable too. (`UniqueArray` replaced an `EventBuffer` of our
/// own, a raw-pointer array with the same layout; docs/performance.md has the comparison.)
@frozen
public struct QuaternaryHeap: FutureEventList, ~Copyable {
    @usableFromInline var heap: UniqueArray<Event>

    /// An empty heap.
    @inlinable
    public init() { heap = UniqueArray(minimumCapacity: 16) }

    /// An empty heap with room for `capacity` events before it reallocates.
    @inlinable
    public init(capacity: Int) { heap = UniqueArray(minimumCapacity: Swift.max(capacity, 1)) }

    @inlinable public var count: Int { heap.count }

    @inlinable public var first: Event? { heap.count > 0 ? heap[0] : nil }

    @inlinable @inline(__always)
    public mutating func insert(_ event: Event) {
        var index = heap.count
        heap.append(event)
        while index > 0 {
            let parent = (index - 1) >> 2
            let parentEvent = heap[parent]
            if !event.precedes(parentEvent) { break }
            heap[index] = parentEvent
            index = parent
        }
        heap[index] = event
    }

    @inlinable @inline(__always)
    public mutating func removeFirst() -> Event? {
        let count = heap.count
        if count == 0 { return nil }
        let last = heap.removeLast()
        if count == 1 { return last }
        let top = heap[0]
        let remaining = count - 1
        var index = 0
        while true {
            let firstChild = 4 &* index &+ 1
            if firstChild >= remaining { break }
            var best = firstChild
            var bestEvent = heap[firstChild]
            let end = Swift.min(firstChild &+ 4, remaining)
            var child = firstChild &+ 1
            while child < end {
                let candidate = heap[child]
                if candidate.precedes(bestEvent) {
                    best = child
                    bestEvent = candidate
                }
                child &+= 1
            }
            if !bestEvent.precedes(last) { break }
            heap[index] = bestEvent
            index = best
        }
        heap[index] = last
        return top
    }
}
