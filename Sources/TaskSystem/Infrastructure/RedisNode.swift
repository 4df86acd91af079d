import Sim

// MARK: - ElastiCache node types

/// An ElastiCache node type: the memory Redis may use, the node's baseline network bandwidth and
/// its hourly price.
///
/// Memory and bandwidth are AWS's published figures (memory in GiB; baseline bandwidth in Gbit/s,
/// the rate the node sustains once its burst credits are spent). ElastiCache reserves
/// `reserved-memory-percent` (25 % by default) of the memory for snapshots and replication, so
/// Redis's `maxmemory` is 75 % of it. The node types a scenario may name, with their prices, are
/// the price catalogue's (`catalog/aws.yaml`, section `cache`).
public struct RedisNodeType: Sendable, Hashable {
    public let name: String
    public let memoryGiB: Double
    public let baselineGbps: Double
    /// On-demand dollars per node-hour (0 when not priced).
    public let hourlyPrice: Double

    public init(name: String, memoryGiB: Double, baselineGbps: Double, hourlyPrice: Double = 0) {
        self.name = name
        self.memoryGiB = memoryGiB
        self.baselineGbps = baselineGbps
        self.hourlyPrice = hourlyPrice
    }

    /// ElastiCache's default `reserved-memory-percent`.
    public static let reservedMemoryFraction = 0.25

    /// `maxmemory` in bytes: the memory less the reserved share.
    public var maxMemoryBytes: Int {
        Int(memoryGiB * 1_073_741_824 * (1 - Self.reservedMemoryFraction))
    }

    /// Baseline bandwidth in bytes per second.
    public var bandwidthBytesPerSecond: Double { baselineGbps * 1e9 / 8 }

    /// The node a scenario gets unless it names another: a cache.r6g.large (AWS's figures; the
    /// seed names no node type) at the built-in price catalogue's on-demand price, which prices
    /// a scenario's node by name.
    public static let defaultNode = RedisNodeType(name: "cache.r6g.large", memoryGiB: 13.07, baselineGbps: 0.75,
                                                  hourlyPrice: 0.206)
}

// MARK: - How pattern invalidation finds its keys

/// How the seed's `invalidate_user_caches` finds the keys of a pattern.
public enum RedisPatternDelete: String, Sendable, Hashable, CaseIterable {
    /// `KEYS pattern` (the seed's `cache.keys(pattern)`): one command that walks the whole
    /// keyspace while the server does nothing else, then `DEL` of what it found.
    case keys
    /// `SCAN cursor MATCH pattern COUNT n` until the cursor returns to 0 (redis-py's
    /// `scan_iter`): ⌈keys / n⌉ round trips, each walking n keys, then `DEL`.
    case scan
    /// One `EVAL` of a Lua script that walks the keyspace and deletes the matches server-side:
    /// one round trip (the walk still costs the thread per key; with no key cost, the model
    /// before issue 11).
    case script
}

// MARK: - The single command thread

/// Redis executes commands one at a time on one thread. Commands are served first come, first
/// served, in the order clients issue them: Lindley's recursion gives each command's completion
/// at issue, `end = max(now, busyUntil) + service` — exact for a FIFO single server, and one
/// sleep per command.
struct RedisCommandThread: Sendable {
    /// When the thread finishes the commands issued so far.
    private(set) var busyUntil: SimTime = 0
    /// Seconds of command time served so far.
    private(set) var busySeconds = 0.0

    /// Queues a command issued at `now` needing `service` seconds; returns its completion time.
    mutating func serve(at now: SimTime, seconds service: Double) -> SimTime {
        let start = max(now, busyUntil)
        busyUntil = SimClock.adding(SimClock.time(seconds: service), to: start)
        busySeconds += service
        return busyUntil
    }
}
