// Identifiers.swift — the small, deterministic integer identifiers of the domain's entities.
//
// Identifiers are plain integers handed out in order by whoever creates the entity (the data
// store's ID reservation, or the dataset seeder) — never random UUIDs — so two runs with the
// same seed name the same rows, and ordering by identifier is ordering by creation.

// MARK: - EntityID

/// An identifier wrapping a positive `Int`; ordering follows the integer.
///
/// `description` is the bare integer, so cache keys such as `"tasks:project:\(id)"` read as in
/// the seed document (`tasks:project:42`).
public protocol EntityID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral where RawValue == Int, IntegerLiteralType == Int
{
    /// Wraps `rawValue`.
    init(_ rawValue: Int)
}

extension EntityID {
    /// Wraps `rawValue` (never fails; the failable requirement of `RawRepresentable` is met by it).
    @inlinable
    public init(rawValue: Int) { self.init(rawValue) }

    /// Wraps an integer literal, for tests and examples (`let id: TaskID = 7`).
    @inlinable
    public init(integerLiteral value: Int) { self.init(value) }

    /// Orders by the wrapped integer.
    @inlinable
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The wrapped integer in decimal.
    public var description: String { String(rawValue) }
}

// MARK: - Concrete identifiers

/// Identifies a ``User``.
public struct UserID: EntityID {
    /// The wrapped integer.
    public let rawValue: Int
    /// Wraps `rawValue`.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }
}

/// Identifies a ``Project``.
public struct ProjectID: EntityID {
    /// The wrapped integer.
    public let rawValue: Int
    /// Wraps `rawValue`.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }
}

/// Identifies a ``TaskItem``.
public struct TaskID: EntityID {
    /// The wrapped integer.
    public let rawValue: Int
    /// Wraps `rawValue`.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }
}

/// Identifies a ``Comment``.
public struct CommentID: EntityID {
    /// The wrapped integer.
    public let rawValue: Int
    /// Wraps `rawValue`.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }
}
