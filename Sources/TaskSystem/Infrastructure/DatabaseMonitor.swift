import Sim

// MARK: - The seed's DatabaseMonitor

/// Why the monitor asks for a bigger instance, in the order the seed's
/// `DatabaseMonitor.check_scaling_needs` tests them.
public enum DatabaseScalingReason: String, Sendable, CaseIterable {
    case cpu
    case connections
    case iops
    case storage

    /// The seed's message.
    public var message: String {
        switch self {
        case .cpu: "SCALE_UP: CPU utilization high"
        case .connections: "SCALE_UP: Connection pool exhausted"
        case .iops: "SCALE_UP: IOPS limit reached"
        case .storage: "SCALE_UP: Storage nearly full"
        }
    }
}

/// One minute of the primary's CloudWatch-style metrics, as the monitor reads them.
public struct DatabaseMonitorSample: Sendable, Equatable {
    /// Average CPU utilisation over the minute, in percent.
    public var cpuUtilization: Double
    /// Server connections open at the check, and the instance's `max_connections`.
    public var connections: Int
    public var maxConnections: Int
    /// Read I/Os per second over the minute, and the volume's IOPS.
    public var readIOPS: Double
    public var provisionedIOPS: Double
    /// Storage used and allocated, in bytes.
    public var storageUsed: Double
    public var storageTotal: Double

    public init(cpuUtilization: Double, connections: Int, maxConnections: Int, readIOPS: Double,
                provisionedIOPS: Double, storageUsed: Double, storageTotal: Double) {
        self.cpuUtilization = cpuUtilization
        self.connections = connections
        self.maxConnections = maxConnections
        self.readIOPS = readIOPS
        self.provisionedIOPS = provisionedIOPS
        self.storageUsed = storageUsed
        self.storageTotal = storageTotal
    }
}

/// `check_scaling_needs`, fed one sample a minute: CPU > 80 % for 15 consecutive minutes
/// (the seed's comment; its `if` reads one value, so the 15 minutes are a CloudWatch alarm of 15
/// one-minute datapoints), connections > 80 % of max, read IOPS > 80 % of provisioned, storage
/// > 85 % full. Like the seed, it returns the first reason that holds, or `nil`.
public struct DatabaseMonitor: Sendable, Equatable {
    public static let cpuThreshold = 80.0
    public static let cpuMinutes = 15
    public static let connectionThreshold = 0.8
    public static let iopsThreshold = 0.8
    public static let storageThreshold = 0.85

    /// Consecutive minutes above the CPU threshold so far.
    public private(set) var cpuHighMinutes = 0

    public init() {}

    /// Reads one minute's sample; returns the scale-up reason, if any.
    public mutating func check(_ sample: DatabaseMonitorSample) -> DatabaseScalingReason? {
        cpuHighMinutes = sample.cpuUtilization > Self.cpuThreshold ? cpuHighMinutes + 1 : 0
        if cpuHighMinutes >= Self.cpuMinutes { return .cpu }
        if sample.maxConnections > 0,
           Double(sample.connections) / Double(sample.maxConnections) > Self.connectionThreshold { return .connections }
        if sample.provisionedIOPS > 0, sample.readIOPS / sample.provisionedIOPS > Self.iopsThreshold { return .iops }
        if sample.storageTotal > 0, sample.storageUsed / sample.storageTotal > Self.storageThreshold { return .storage }
        return nil
    }

    /// Forgets the CPU history (the primary changed: its datapoints start afresh).
    public mutating func primaryChanged() { cpuHighMinutes = 0 }
}

// MARK: - What the database tier did over the run

/// A change or alarm of the database tier, in simulated time, for the run's output.
public struct DatabaseEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The monitor fired (detail: the reason's message).
        case trigger
        /// A new instance was created (detail: role and class).
        case provisioning
        /// A new replica started serving reads.
        case replicaInService = "replica-in-service"
        /// Writes stopped for the blue-green cut-over (detail: target class).
        case cutoverStarted = "cutover-started"
        /// The application now writes to the new primary.
        case switched
        /// An instance was decommissioned (detail: its class).
        case decommissioned
        /// The load crossed into another tier (detail: the tier).
        case tier
    }

    public var time: SimTime
    public var kind: Kind
    public var detail: String
    /// For a trigger: the figure that tripped the monitor, against its threshold (the timeline
    /// shows it; `summary.json`'s `database` events keep `detail` alone).
    public var evidence: String

    public init(time: SimTime, kind: Kind, detail: String, evidence: String = "") {
        self.time = time
        self.kind = kind
        self.detail = detail
        self.evidence = evidence
    }
}
