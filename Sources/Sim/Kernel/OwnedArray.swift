// MARK: - A growable array with one owner

/// A growable contiguous array owned by exactly one value: noncopyable, so element access and
/// appends write in place with no copy-on-write uniqueness check, and `deinit` frees it.
///
/// For model state on the engine's hot path (a network model's stations, classes and
/// customers), where `Array` pays a uniqueness check on every mutation of an element. Indices
/// are bounds-checked like `Array`'s.
@frozen
public struct OwnedArray<Element>: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var storedCount: Int

    /// An empty array with room for `capacity` elements.
    @inlinable
    public init(capacity: Int = 0) {
        self.capacity = Swift.max(capacity, 1)
        base = .allocate(capacity: self.capacity)
        storedCount = 0
    }

    /// An array holding `elements`, in order.
    @inlinable
    public init(_ elements: [Element]) {
        self.init(capacity: elements.count)
        for element in elements { append(element) }
    }

    deinit {
        base.deinitialize(count: storedCount)
        base.deallocate()
    }

    // MARK: Access

    /// The number of elements.
    @inlinable public var count: Int { storedCount }

    /// The valid indices, `0..<count`.
    @inlinable public var indices: Range<Int> { 0..<storedCount }

    /// The element at `index` (0 ≤ index < count), read and written in place.
    @inlinable
    public subscript(index: Int) -> Element {
        @inline(__always) unsafeAddress {
            precondition(index >= 0 && index < storedCount, "OwnedArray index out of range")
            return UnsafePointer(base + index)
        }
        @inline(__always) unsafeMutableAddress {
            precondition(index >= 0 && index < storedCount, "OwnedArray index out of range")
            return base + index
        }
    }

    // MARK: Growing and shrinking

    /// Appends `element`, doubling the allocation when full.
    @inlinable @inline(__always)
    public mutating func append(_ element: Element) {
        if _slowPath(storedCount == capacity) { grow(to: capacity * 2) }
        (base + storedCount).initialize(to: element)
        storedCount += 1
    }

    /// Removes and returns the last element, or `nil` when empty.
    @inlinable @inline(__always)
    public mutating func popLast() -> Element? {
        if storedCount == 0 { return nil }
        storedCount -= 1
        return (base + storedCount).move()
    }

    /// Makes room for `minimumCapacity` elements.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > capacity { grow(to: minimumCapacity) }
    }

    @usableFromInline
    mutating func grow(to newCapacity: Int) {
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: base, count: storedCount)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }
}

extension OwnedArray: @unchecked Sendable where Element: Sendable {}
