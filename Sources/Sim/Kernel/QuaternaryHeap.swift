// MARK: - 4-ary heap

/// A 4-ary min-heap of events in one contiguous array.
///
/// Four children per node halve the depth of a binary heap and keep siblings in one cache line
/// (4 × 24 bytes), which makes sifting down cheaper: O(log₄ n) per operation.
@frozen
public struct QuaternaryHeap: FutureEventList {
    @usableFromInline var storage: [Event]

    /// An empty heap.
    @inlinable
    public init() { storage = [] }

    /// An empty heap with room for `capacity` events before it reallocates.
    @inlinable
    public init(capacity: Int) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    @inlinable public var count: Int { storage.count }

    @inlinable public var first: Event? { storage.first }

    @inlinable
    public mutating func insert(_ event: Event) {
        storage.append(event)
        storage.withUnsafeMutableBufferPointer { heap in
            var index = heap.count - 1
            while index > 0 {
                let parent = (index - 1) >> 2
                if !event.precedes(heap[parent]) { break }
                heap[index] = heap[parent]
                index = parent
            }
            heap[index] = event
        }
    }

    @inlinable
    public mutating func removeFirst() -> Event? {
        guard let last = storage.popLast() else { return nil }
        if storage.isEmpty { return last }
        return storage.withUnsafeMutableBufferPointer { heap in
            let top = heap[0]
            let count = heap.count
            var index = 0
            while true {
                let firstChild = 4 * index + 1
                if firstChild >= count { break }
                var best = firstChild
                let end = min(firstChild + 4, count)
                var child = firstChild + 1
                while child < end {
                    if heap[child].precedes(heap[best]) { best = child }
                    child += 1
                }
                if !heap[best].precedes(last) { break }
                heap[index] = heap[best]
                index = best
            }
            heap[index] = last
            return top
        }
    }
}
