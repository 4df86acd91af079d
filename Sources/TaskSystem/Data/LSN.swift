// LSN.swift — log sequence numbers: the primary's commit order.

// MARK: - LSN

/// A log sequence number: the position of a committed change in the primary's history.
///
/// Every write commits as its own transaction and takes the next LSN, so LSNs are dense:
/// the changes of the log are numbered 1, 2, 3, … and ``zero`` is the initial (seeded)
/// dataset, before any change. A replica at LSN `n` has applied changes 1…n.
public struct LSN: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The position.
    public let rawValue: Int

    /// The initial dataset, before the first change.
    public static let zero = LSN(0)

    /// Wraps `rawValue`.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }
    /// Wraps `rawValue`.
    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }
    /// Wraps an integer literal.
    @inlinable public init(integerLiteral value: Int) { self.rawValue = value }

    /// The next position.
    @inlinable public var next: LSN { LSN(rawValue &+ 1) }

    /// Orders by position.
    @inlinable public static func < (lhs: LSN, rhs: LSN) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The number of changes from `rhs` (exclusive) to `lhs` (inclusive).
    @inlinable public static func - (lhs: LSN, rhs: LSN) -> Int { lhs.rawValue &- rhs.rawValue }

    /// The position in decimal.
    public var description: String { String(rawValue) }
}
