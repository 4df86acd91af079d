import Sim

// MARK: - The seed's scaling strategy

/// One row of a tier table: from ``users`` users on, this primary and these replicas.
public struct DatabaseTier: Sendable, Equatable {
    /// The user load (registered users) from which the tier applies.
    public var users: Int
    public var primary: DatabaseInstanceClass
    public var replica: DatabaseInstanceClass
    public var replicas: Int

    public init(users: Int, primary: DatabaseInstanceClass, replica: DatabaseInstanceClass, replicas: Int) {
        self.users = users
        self.primary = primary
        self.replica = replica
        self.replicas = replicas
    }

    /// The seed's "Scaling Strategy" table: 0–10K users 1× db.r5.large and no replica; 10K–50K
    /// db.r5.xlarge + 2× db.r5.large; 50K–100K db.r5.2xlarge + 4× db.r5.xlarge; 100K+
    /// db.r5.4xlarge + 6× db.r5.2xlarge.
    public static let seed: [DatabaseTier] = {
        func named(_ name: String) -> DatabaseInstanceClass { DatabaseInstanceClass.named(name)! }
        return [
            .init(users: 0, primary: named("db.r5.large"), replica: named("db.r5.large"), replicas: 0),
            .init(users: 10_000, primary: named("db.r5.xlarge"), replica: named("db.r5.large"), replicas: 2),
            .init(users: 50_000, primary: named("db.r5.2xlarge"), replica: named("db.r5.xlarge"), replicas: 4),
            .init(users: 100_000, primary: named("db.r5.4xlarge"), replica: named("db.r5.2xlarge"), replicas: 6),
        ]
    }()

    /// The index of the tier for `users` in `tiers` (sorted by ``users``, the first at 0).
    public static func index(for users: Double, in tiers: [DatabaseTier]) -> Int {
        var chosen = 0
        for (index, tier) in tiers.enumerated() where users >= Double(tier.users) { chosen = index }
        return chosen
    }
}

extension DatabaseConfiguration {
    /// The configuration to start from: with ``tiers``, the primary and replicas of the tier for
    /// `activeUsers` (the load at time 0); without, unchanged.
    public func startingTopology(activeUsers: Int) -> DatabaseConfiguration {
        guard !tiers.isEmpty else { return self }
        let tier = tiers[tierIndex(activeUsers: activeUsers, at: 0)]
        var configuration = self
        configuration.primary = tier.primary
        configuration.replica = tier.replica
        configuration.replicas = tier.replicas
        return configuration
    }

    /// The tier ordered at `time` with `activeUsers` active: by ``tierSchedule`` when there is
    /// one (the last order due), else the tier of the user load divided by ``tierProvisionAt``
    /// (so at 80 % a tier is ordered at 80 % of its boundary).
    public func tierIndex(activeUsers: Int, at time: SimTime) -> Int {
        if !tierSchedule.isEmpty {
            return tierSchedule.last { $0.time <= time }?.tier ?? 0
        }
        return DatabaseTier.index(for: Double(activeUsers) * tierUsersPerActive / tierProvisionAt, in: tiers)
    }
}
