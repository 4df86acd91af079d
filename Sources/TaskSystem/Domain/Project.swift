// Project.swift — a project: an owner, members, and (through the store) tasks.

// MARK: - Project

/// A project. Its members may read and write its tasks; its owner administers it.
///
/// Invariant: ``memberIDs`` is sorted, free of duplicates and contains ``owner``. Sorted storage
/// (not a `Set`) keeps iteration deterministic and membership a binary search.
public struct Project: Hashable, Sendable, Identifiable {
    /// The project's identifier.
    public let id: ProjectID
    /// The display name.
    public var name: String
    /// The owner, who holds ``Permission/admin`` on the project. Ownership never changes.
    public let owner: UserID
    /// The members, owner included, in increasing order.
    public private(set) var memberIDs: [UserID]

    /// Creates a project; `memberIDs` may be in any order and need not include the owner.
    public init(id: ProjectID, name: String, owner: UserID, memberIDs: some Sequence<UserID> = []) {
        self.id = id
        self.name = name
        self.owner = owner
        var members = Array(memberIDs)
        members.append(owner)
        members.sort()
        var unique: [UserID] = []
        unique.reserveCapacity(members.count)
        for member in members where unique.last != member { unique.append(member) }
        self.memberIDs = unique
    }

    // MARK: Membership

    /// Whether `user` is a member (the owner is one).
    public func isMember(_ user: UserID) -> Bool {
        memberIDs.sortedIndex(of: user).found
    }

    /// Adds `user`; returns `false` when they already were a member.
    @discardableResult
    public mutating func addMember(_ user: UserID) -> Bool {
        let (index, found) = memberIDs.sortedIndex(of: user)
        if found { return false }
        memberIDs.insert(user, at: index)
        return true
    }

    /// Removes `user`; returns `false` when they were not a member or are the owner (who stays).
    @discardableResult
    public mutating func removeMember(_ user: UserID) -> Bool {
        guard user != owner else { return false }
        let (index, found) = memberIDs.sortedIndex(of: user)
        if !found { return false }
        memberIDs.remove(at: index)
        return true
    }

    /// The size of the row plus its membership rows, as MySQL would store them.
    public var approximateByteCount: Int { 8 + 8 + name.utf8.count + 16 * memberIDs.count }
}
