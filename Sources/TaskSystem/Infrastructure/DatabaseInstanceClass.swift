import Sim

// MARK: - RDS instance classes

/// An RDS instance class from the seed's sizing table: vCPUs serve queries in parallel, and
/// memory sets MySQL's default `max_connections` (RDS: DBInstanceClassMemory / 12,582,880).
public struct DatabaseInstanceClass: Sendable, Hashable {
    public var name: String
    public var vCPUs: Int
    public var memoryGiB: Int
    /// On-demand price per hour, in dollars (us-east-1 MySQL list prices; configurable).
    public var hourlyPrice: Double

    public init(name: String, vCPUs: Int, memoryGiB: Int, hourlyPrice: Double) {
        self.name = name
        self.vCPUs = vCPUs
        self.memoryGiB = memoryGiB
        self.hourlyPrice = hourlyPrice
    }

    /// MySQL's default connection limit on RDS for this memory size.
    public var maxConnections: Int { memoryGiB * 1_073_741_824 / 12_582_880 }

    /// The seed's table (db.r5.large … db.r5.8xlarge).
    public static let catalog: [DatabaseInstanceClass] = [
        .init(name: "db.r5.large", vCPUs: 2, memoryGiB: 16, hourlyPrice: 0.25),
        .init(name: "db.r5.xlarge", vCPUs: 4, memoryGiB: 32, hourlyPrice: 0.50),
        .init(name: "db.r5.2xlarge", vCPUs: 8, memoryGiB: 64, hourlyPrice: 1.00),
        .init(name: "db.r5.4xlarge", vCPUs: 16, memoryGiB: 128, hourlyPrice: 2.00),
        .init(name: "db.r5.8xlarge", vCPUs: 32, memoryGiB: 256, hourlyPrice: 4.00),
    ]

    /// The catalog entry called `name`, if any.
    public static func named(_ name: String) -> DatabaseInstanceClass? {
        catalog.first { $0.name == name }
    }
}
