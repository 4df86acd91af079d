// SeedTables.swift — the seed's two sizing tables, as claims `simrun plan` checks.

import TaskSystem

// MARK: - The seed's claims

/// The seed's "Scaling Strategy" table (a primary, replicas and a total capacity per user range)
/// and its "RDS Instance Types" table (the user range each class is for). The two disagree on
/// 0–10K users (db.r5.large in the first, db.r5.xlarge in the second); both are checked.
public enum SeedTables {
    /// One row of "Scaling Strategy": from `users` on, this topology, claimed to carry `capacityQPS`.
    public struct StrategyRow: Sendable {
        public let users: Int
        public let range: String
        public let tier: DatabaseTier
        public let capacityQPS: Int
    }

    /// "Scaling Strategy", from `DatabaseTier.seed`, with its "Total Capacity" column.
    public static let strategy: [StrategyRow] = zip(DatabaseTier.seed, [
        ("0-10K users", 1_000), ("10K-50K users", 5_000), ("50K-100K users", 15_000), ("100K+ users", 30_000),
    ]).map { tier, row in StrategyRow(users: tier.users, range: row.0, tier: tier, capacityQPS: row.1) }

    /// The "Scaling Strategy" row for `users`.
    public static func strategyRow(for users: Int) -> StrategyRow {
        strategy[DatabaseTier.index(for: Double(users), in: DatabaseTier.seed)]
    }

    /// "RDS Instance Types": the class the table assigns to a user range (`Use Case`).
    public static let instanceUse: [(lowerUsers: Int, upperUsers: Int?, className: String)] = [
        (0, 10_000, "db.r5.xlarge"), (10_000, 50_000, "db.r5.2xlarge"), (50_000, 100_000, "db.r5.4xlarge"),
        (100_000, nil, "db.r5.8xlarge"),
    ]

    /// The class "RDS Instance Types" names for `users`.
    public static func instanceClassName(for users: Int) -> String {
        instanceUse.last { users >= $0.lowerUsers }?.className ?? instanceUse[0].className
    }
}
