import Sim

// MARK: - Per-family settings

/// The TTL and sizes of one key family in the shared cache.
public struct CacheFamilySettings: Sendable, Hashable {
    /// The TTL a `set` uses when the caller gives none; `nil`: no expiry.
    public var ttl: SimTime?
    /// The size in bytes of a value when the caller gives none. An assumption (the seed gives
    /// limits, not sizes); set it from the scenario.
    public var typicalBytes: Int
    /// The largest value in bytes the family may cache (a write above it is refused and
    /// counted as oversized), or `nil` for no limit. The seed states its limits per user or
    /// per project; each family has a single key per owner except rate limits (one per live
    /// window, a few bytes each) and last-write markers, so the limit is applied per entry.
    public var sizeLimit: Int?

    /// Settings with the given TTL, typical size and limit.
    @inlinable
    public init(ttl: SimTime?, typicalBytes: Int, sizeLimit: Int?) {
        precondition((ttl ?? 0) >= 0 && typicalBytes >= 0 && (sizeLimit ?? 0) >= 0,
                     "cache family settings must not be negative")
        self.ttl = ttl
        self.typicalBytes = typicalBytes
        self.sizeLimit = sizeLimit
    }
}

// MARK: - Table of families

/// The settings of every key family; ``seed`` holds the seed's table.
public struct CacheFamilyTable: Sendable, Hashable {
    @usableFromInline var settings: [CacheFamilySettings]

    /// The settings of `family`.
    @inlinable
    public subscript(family: CacheKey.Family) -> CacheFamilySettings {
        get { settings[family.index] }
        set { settings[family.index] = newValue }
    }

    /// A table with `settings(family)` for each family.
    public init(_ settings: (CacheKey.Family) -> CacheFamilySettings) {
        self.settings = CacheKey.Family.allCases.map(settings)
    }

    /// The seed's "Cache Patterns" table (Caching Strategy, Layer 2) plus the TTLs it gives in
    /// code: sessions 15 min, user profiles 5 min, project metadata 5 min, task lists 1 min,
    /// permission checks 5 min, rate limits 1 min, `last_write` 5 s (ConsistencyManager),
    /// project task count 60 s (CacheWarmer). Limits: sessions 10 MB/user, profiles 50 KB/user,
    /// projects 100 KB/project, task lists 500 KB/project, permissions 10 KB/user, rate limits
    /// 1 KB/user.
    ///
    /// Assumptions (the seed is silent; all configurable): the user task count's TTL is 60 s
    /// like the project's; typical sizes are session 2 KB, profile 5 KB, project 10 KB, task
    /// list 50 KB, permissions 1 KB, rate-limit counter 100 B, task counts 100 B, last-write
    /// marker 100 B; task counts and last-write markers have no limit. KB = 1,024 B.
    public static let seed = CacheFamilyTable { family in
        let second = SimClock.nanosecondsPerSecond
        let minute = 60 * second
        let kb = 1024
        switch family {
        case .session:
            return CacheFamilySettings(ttl: 15 * minute, typicalBytes: 2 * kb, sizeLimit: 10 * kb * kb)
        case .user:
            return CacheFamilySettings(ttl: 5 * minute, typicalBytes: 5 * kb, sizeLimit: 50 * kb)
        case .project:
            return CacheFamilySettings(ttl: 5 * minute, typicalBytes: 10 * kb, sizeLimit: 100 * kb)
        case .projectTaskCount:
            return CacheFamilySettings(ttl: 60 * second, typicalBytes: 100, sizeLimit: nil)
        case .taskList:
            return CacheFamilySettings(ttl: 1 * minute, typicalBytes: 50 * kb, sizeLimit: 500 * kb)
        case .userTaskCount:
            return CacheFamilySettings(ttl: 60 * second, typicalBytes: 100, sizeLimit: nil)
        case .permissions:
            return CacheFamilySettings(ttl: 5 * minute, typicalBytes: 1 * kb, sizeLimit: 10 * kb)
        case .rateLimit:
            return CacheFamilySettings(ttl: 1 * minute, typicalBytes: 100, sizeLimit: 1 * kb)
        case .lastWrite:
            return CacheFamilySettings(ttl: 5 * second, typicalBytes: 100, sizeLimit: nil)
        }
    }
}

extension CacheKey.Family {
    /// The family's TTL in the seed's table.
    @inlinable public var seedTTL: SimTime? { CacheFamilyTable.seed[self].ttl }
}
