// User.swift — a registered user of the task system.

// MARK: - UserRole

/// A user's system-wide role. Project rights come from membership (see ``PermissionService``);
/// the role refines them.
public enum UserRole: UInt8, Hashable, Sendable, CaseIterable {
    /// May read the projects they are a member of, never change them.
    case viewer
    /// The ordinary user: reads and writes the projects they are a member of.
    case member
    /// A system administrator: administers every project, member or not.
    case admin
}

// MARK: - User

/// A registered user.
public struct User: Hashable, Sendable, Identifiable {
    /// The user's identifier.
    public let id: UserID
    /// The display name.
    public var name: String
    /// The e-mail address (not checked beyond containing an `@`; see ``Validation``).
    public var email: String
    /// The system-wide role.
    public var role: UserRole

    /// Creates a user.
    public init(id: UserID, name: String, email: String, role: UserRole = .member) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
    }

    /// The size of the row as MySQL would store it (fixed columns plus text bytes); used to
    /// size cache entries and result sets.
    public var approximateByteCount: Int { 8 + 1 + name.utf8.count + email.utf8.count }
}
