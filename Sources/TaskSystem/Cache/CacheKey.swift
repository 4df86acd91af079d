// MARK: - Cache keys

/// A key of the shared cache: one of the seed's key families and its ids, packed in 64 bits.
///
/// Layout of ``rawValue``: the family tag in bits 60–63, the owner's id (a user or a project)
/// in bits 30–59, a second id (a task, or a rate-limit window) in bits 0–29. Ids are therefore
/// `0 ... CacheKey.maxID` (2³⁰ − 1). Hashing and comparing a key is one 64-bit word; the seed's
/// string form is produced only by ``description``.
public struct CacheKey: PackedKey, Comparable, Sendable, CustomStringConvertible {
    /// The packed key.
    public let rawValue: UInt64
    /// The packed key, for a ``SlotTable``.
    @inlinable public var packed: UInt64 { rawValue }

    /// The largest id a key can hold.
    public static let maxID = (1 << idBits) - 1

    @usableFromInline static let idBits: UInt64 = 30
    @usableFromInline static let idMask: UInt64 = (1 << idBits) - 1
    @usableFromInline static let familyShift: UInt64 = 2 * idBits

    // MARK: Families

    /// The key families of the seed's caching strategy, each owned by a user or a project.
    public enum Family: UInt8, CaseIterable, Sendable, Comparable, CustomStringConvertible {
        /// `session:{user}` — user sessions (the seed's "Redis Session Cache").
        case session = 1
        /// `user:{user}` — user profiles.
        case user
        /// `project:{project}` — project metadata.
        case project
        /// `project:{project}:task_count` — a project's task count (cache warming).
        case projectTaskCount
        /// `tasks:project:{project}` — a project's task list.
        case taskList
        /// `tasks:user:{user}:count` — a user's task count (invalidated on task creation).
        case userTaskCount
        /// `permissions:{user}` — permission checks.
        case permissions
        /// `rate_limit:{user}:{window}` — a user's request count in one rate-limit window.
        case rateLimit
        /// `last_write:{user}:{task}` — the ConsistencyManager's recent-write marker.
        case lastWrite

        /// The number of families.
        public static let count = allCases.count

        /// `0 ..< count`, for per-family arrays.
        @inlinable public var index: Int { Int(rawValue) - 1 }

        /// Whether the family's keys belong to a user (else to a project).
        @inlinable public var isOwnedByUser: Bool {
            switch self {
            case .project, .projectTaskCount, .taskList: false
            default: true
            }
        }

        /// A short name for reports (`session`, `user`, `task_list`, …).
        public var description: String {
            switch self {
            case .session: "session"
            case .user: "user"
            case .project: "project"
            case .projectTaskCount: "project_task_count"
            case .taskList: "task_list"
            case .userTaskCount: "user_task_count"
            case .permissions: "permissions"
            case .rateLimit: "rate_limit"
            case .lastWrite: "last_write"
            }
        }

        @inlinable public static func < (a: Family, b: Family) -> Bool { a.rawValue < b.rawValue }
    }

    // MARK: Making keys

    @inlinable
    init(_ family: Family, owner: Int, detail: Int = 0) {
        precondition(owner >= 0 && owner <= Self.maxID && detail >= 0 && detail <= Self.maxID,
                     "CacheKey id out of range 0...\(Self.maxID)")
        rawValue = UInt64(family.rawValue) << Self.familyShift
            | UInt64(owner) << Self.idBits | UInt64(detail)
    }

    /// The key packed as `rawValue`, if its family tag is valid.
    @inlinable
    public init?(rawValue: UInt64) {
        guard Family(rawValue: UInt8(truncatingIfNeeded: rawValue >> Self.familyShift)) != nil
        else { return nil }
        self.rawValue = rawValue
    }

    /// `session:{user}`.
    @inlinable public static func session(user: Int) -> CacheKey { CacheKey(.session, owner: user) }
    /// `user:{user}`.
    @inlinable public static func user(_ user: Int) -> CacheKey { CacheKey(.user, owner: user) }
    /// `project:{project}`.
    @inlinable public static func project(_ project: Int) -> CacheKey { CacheKey(.project, owner: project) }
    /// `project:{project}:task_count`.
    @inlinable public static func projectTaskCount(project: Int) -> CacheKey {
        CacheKey(.projectTaskCount, owner: project)
    }
    /// `tasks:project:{project}`.
    @inlinable public static func taskList(project: Int) -> CacheKey { CacheKey(.taskList, owner: project) }
    /// `tasks:user:{user}:count`.
    @inlinable public static func userTaskCount(user: Int) -> CacheKey {
        CacheKey(.userTaskCount, owner: user)
    }
    /// `permissions:{user}`.
    @inlinable public static func permissions(user: Int) -> CacheKey { CacheKey(.permissions, owner: user) }
    /// `rate_limit:{user}:{window}`, `window` being the window's index (start time / length).
    @inlinable public static func rateLimit(user: Int, window: Int) -> CacheKey {
        CacheKey(.rateLimit, owner: user, detail: window)
    }
    /// `last_write:{user}:{task}`.
    @inlinable public static func lastWrite(user: Int, task: Int) -> CacheKey {
        CacheKey(.lastWrite, owner: user, detail: task)
    }

    // MARK: Reading keys

    /// The key's family.
    @inlinable public var family: Family {
        Family(rawValue: UInt8(truncatingIfNeeded: rawValue >> Self.familyShift))!
    }
    /// The id of the user or project that owns the key.
    @inlinable public var ownerID: Int { Int((rawValue >> Self.idBits) & Self.idMask) }
    /// The second id: the task of `lastWrite`, the window of `rateLimit`; 0 otherwise.
    @inlinable public var detail: Int { Int(rawValue & Self.idMask) }
    /// The user or project that owns the key (what pattern deletion goes by).
    @inlinable public var owner: CacheOwner {
        family.isOwnedByUser ? .user(ownerID) : .project(ownerID)
    }

    /// The seed's string form, e.g. `tasks:project:42`, `last_write:7:1001`.
    public var description: String {
        let id = ownerID
        switch family {
        case .session: return "session:\(id)"
        case .user: return "user:\(id)"
        case .project: return "project:\(id)"
        case .projectTaskCount: return "project:\(id):task_count"
        case .taskList: return "tasks:project:\(id)"
        case .userTaskCount: return "tasks:user:\(id):count"
        case .permissions: return "permissions:\(id)"
        case .rateLimit: return "rate_limit:\(id):\(detail)"
        case .lastWrite: return "last_write:\(id):\(detail)"
        }
    }

    /// Orders by packed value: by family, then owner, then second id.
    @inlinable public static func < (a: CacheKey, b: CacheKey) -> Bool { a.rawValue < b.rawValue }
}

// MARK: - Owners

/// The user or project a key belongs to: the unit of pattern deletion (the seed's
/// `cache.keys(f"user:{id}:*")` followed by `delete`).
public enum CacheOwner: Hashable, Sendable, CustomStringConvertible {
    /// A user's keys: session, profile, task count, permissions, rate limits, last writes.
    case user(Int)
    /// A project's keys: metadata, task count, task list.
    case project(Int)

    /// The owner packed in one word (kind in bit 32, id below), for the owner index.
    @inlinable var rawValue: UInt64 {
        switch self {
        case .user(let id): UInt64(id)
        case .project(let id): 1 << 32 | UInt64(id)
        }
    }

    /// `user:{id}` or `project:{id}`.
    public var description: String {
        switch self {
        case .user(let id): "user:\(id)"
        case .project(let id): "project:\(id)"
        }
    }
}

// MARK: - Family sets

/// A set of key families, e.g. to narrow a pattern deletion.
public struct CacheFamilies: OptionSet, Sendable, Hashable {
    /// Bit `family.index` is set for each member.
    public let rawValue: UInt16

    /// The set with bits `rawValue`.
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The set holding `family` alone.
    @inlinable public init(_ family: CacheKey.Family) { rawValue = 1 << UInt16(family.index) }

    /// Whether `family` is a member.
    @inlinable public func contains(_ family: CacheKey.Family) -> Bool {
        rawValue & (1 << UInt16(family.index)) != 0
    }

    /// Every family.
    public static let all = CacheFamilies(rawValue: (1 << UInt16(CacheKey.Family.count)) - 1)

    /// A user's cached data — profile, permission checks, task count — as opposed to the
    /// user's request state (session, rate-limit counters, recent-write markers): what the
    /// seed's `invalidate_user_caches` must remove when the user changes.
    public static let userData: CacheFamilies = [CacheFamilies(.user), CacheFamilies(.permissions),
                                                 CacheFamilies(.userTaskCount)]
}
