// MARK: - A pooled connection's life: recycle, pre-ping, reconnect

/// What a ``ConnectionPool`` does with a connection at checkout, after SQLAlchemy's
/// `pool_recycle` and `pool_pre_ping`, and what that costs in simulated time.
///
/// At each checkout, in SQLAlchemy's order (`_ConnectionRecord.get_connection`, then the
/// fairy's pre-ping):
/// 1. **Recycle / invalidation.** A connection opened more than ``recycle`` ago, or before the
///    pool's last invalidation (a disconnect seen on any connection invalidates every older one,
///    as `Pool._invalidate` does), is closed and reopened: the caller pays ``connectCost``.
/// 2. **Pre-ping.** With ``prePing``, a `SELECT 1` round trip (``pingCost``) precedes the use.
///    If the server had closed the connection, the ping fails, the connection is reopened
///    (``connectCost``) and the pool is invalidated; the caller's query then runs normally.
///    Without pre-ping, the caller's first statement fails on the dead connection after one
///    round trip (``pingCost``): ``ConnectionPoolError/connectionLost``; the pool is invalidated
///    so the connections opened before are reopened at their next checkout.
///
/// Overflow connections are opened on demand and pay ``connectCost``; the `pool_size`
/// connections count as opened at deploy.
public struct ConnectionLifecycle: Sendable, Equatable {
    /// `pool_recycle`: connections older than this are reopened at checkout; `nil` = never (−1).
    public var recycle: SimTime?
    /// `pool_pre_ping`: every checkout pays one ping round trip first.
    public var prePing: Bool
    /// Opening a connection: TCP handshake, TLS and MySQL authentication round trips.
    public var connectCost: SimTime
    /// One `SELECT 1` round trip (also what a statement on a dead connection costs before it fails).
    public var pingCost: SimTime

    /// A lifecycle; see the type's documentation for the meaning of each value.
    public init(recycle: SimTime?, prePing: Bool, connectCost: SimTime, pingCost: SimTime) {
        precondition(recycle.map { $0 >= 0 } ?? true, "recycle must not be negative")
        precondition(connectCost >= 0 && pingCost >= 0, "connection costs must not be negative")
        self.recycle = recycle
        self.prePing = prePing
        self.connectCost = connectCost
        self.pingCost = pingCost
    }

    /// Connections live forever and cost nothing to use (the pool's behaviour before
    /// recycling and pre-ping were modelled; the default of ``ConnectionPool/init(runtime:size:maxOverflow:timeout:lifecycle:)``).
    public static let free = ConnectionLifecycle(recycle: nil, prePing: false, connectCost: 0, pingCost: 0)

    /// The seed's engine (`pool_recycle=3600`, `pool_pre_ping=True`) with assumed costs: a
    /// 4 ms connect (about five 0.5 ms round trips for TCP, TLS 1.2 and the MySQL handshake, plus
    /// the server's authentication) and a 0.5 ms ping (one round trip, the database's default).
    public static let seed = ConnectionLifecycle(recycle: 3600 * SimClock.nanosecondsPerSecond, prePing: true,
                                                 connectCost: 4 * SimClock.nanosecondsPerSecond / 1000,
                                                 pingCost: SimClock.nanosecondsPerSecond / 2000)
}

/// A failure a ``ConnectionPool`` reports at checkout.
public enum ConnectionPoolError: Error, Sendable, Equatable {
    /// The connection had been closed by the server and pre-ping is off: the first statement
    /// failed (SQLAlchemy's `OperationalError: MySQL server has gone away`).
    case connectionLost
    /// The pool was closed (its process crashed): no connection can be checked out.
    case closed
}

/// What a ``ConnectionPool`` counted.
public struct ConnectionPoolCounters: Sendable, Equatable {
    /// Connections opened: overflow, recycled, reconnected after a failed ping or invalidation.
    public var opened = 0
    /// Connections closed: overflow returned to a full pool, recycled, dead, pool closed.
    public var closed = 0
    /// Connections reopened at checkout because they were older than `pool_recycle`.
    public var recycles = 0
    /// Pre-ping round trips.
    public var pings = 0
    /// Dead connections a ping found and replaced.
    public var pingReconnects = 0
    /// Connections reopened because the pool had been invalidated after a disconnect.
    public var invalidationReconnects = 0
    /// Checkouts that failed on a dead connection (pre-ping off).
    public var connectionErrors = 0

    public init() {}

    /// Adds `other`'s counts (several pools' totals).
    public mutating func add(_ other: ConnectionPoolCounters) {
        opened += other.opened
        closed += other.closed
        recycles += other.recycles
        pings += other.pings
        pingReconnects += other.pingReconnects
        invalidationReconnects += other.invalidationReconnects
        connectionErrors += other.connectionErrors
    }
}
