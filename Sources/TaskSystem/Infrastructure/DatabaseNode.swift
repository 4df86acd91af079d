import Sim

// MARK: - One MySQL instance

/// One RDS instance — the primary, a replica, or a blue-green target — with its class, its
/// cores, its server connections (at most ``maxConnections``), its volume's IOPS, and its life
/// for cost: paid from ``launchedAt`` until ``retiredAt`` (or the end of the run).
public final class DatabaseNode: @unchecked Sendable {
    public let instanceClass: DatabaseInstanceClass
    let cpu: ServerPool
    var iops: IOPSBucket
    /// Server connections open now, the most at once, and opens refused (`Too many connections`).
    public private(set) var connections = 0
    public private(set) var peakConnections = 0
    public private(set) var refusedConnections = 0
    /// I/Os requested so far (reads that missed the buffer pool; writes and applied changes).
    public private(set) var readIOs = 0.0
    public private(set) var writeIOs = 0.0
    /// Seconds requesters spent waiting for IOPS.
    public private(set) var ioWait = 0.0
    public let launchedAt: SimTime
    public internal(set) var retiredAt: SimTime?

    init(runtime: ProcessRuntime, instanceClass: DatabaseInstanceClass, iops: Double) {
        self.instanceClass = instanceClass
        cpu = ServerPool(runtime: runtime, servers: instanceClass.vCPUs)
        self.iops = IOPSBucket(rate: iops, start: runtime.now)
        launchedAt = runtime.now
    }

    /// MySQL's `max_connections` for the class.
    public var maxConnections: Int { instanceClass.maxConnections }

    // MARK: Connections

    /// Opens a server connection, or refuses it with MySQL's error 1040 when ``maxConnections``
    /// are open.
    func openConnection() throws(APIError) {
        guard connections < maxConnections else {
            refusedConnections += 1
            throw .tooManyConnections
        }
        connections += 1
        if connections > peakConnections { peakConnections = connections }
    }

    func closeConnection() {
        if connections > 0 { connections -= 1 }
    }

    /// Every connection is dropped (the instance was switched away from or retired).
    func dropAllConnections() { connections = 0 }

    // MARK: I/O

    /// Requests `ios` I/Os now; returns the wait in seconds the rate imposes.
    func requestIO(_ ios: Double, at now: SimTime, write: Bool) -> Double {
        guard ios > 0 else { return 0 }
        if write { writeIOs += ios } else { readIOs += ios }
        let wait = iops.take(ios, at: now)
        ioWait += wait
        return wait
    }

    // MARK: Cost

    /// Hours paid until `end`.
    func hours(until end: SimTime) -> Double {
        SimClock.seconds(max(0, min(retiredAt ?? end, end) - launchedAt)) / 3600
    }
}
