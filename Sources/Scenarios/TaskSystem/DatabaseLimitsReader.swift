// DatabaseLimitsReader.swift — `database.storage`, the upgrade keys and `database.tiers`.

import Sim
import TaskSystem

// MARK: - DatabaseLimitsReader

/// Reads the limits, blue-green and tier keys of `database` over the defaults.
enum DatabaseLimitsReader {
    /// The keys of `database.storage`.
    static let storageKeys = ["type", "allocated_gib", "iops", "row_size", "buffer_pool_hit_ratio", "rows_per_page",
                              "write_ios"]
    /// The keys of one `database.tiers[i]`.
    static let tierKeys = ["users", "primary", "replica", "replicas"]

    static func read(_ map: YAMLMapping, into database: inout DatabaseConfiguration, catalog: PriceCatalog) {
        if let storage = map.optional("storage") { read(storage: storage, into: &database.storage) }
        map.read("auto_upgrade", into: &database.autoUpgrade) { $0.bool() }
        map.read("provisioning", into: &database.provisioningTime) { $0.duration() }
        map.read("cutover", into: &database.cutover) { $0.duration() }
        map.read("keep_old_primary", into: &database.keepOldPrimary) { $0.duration() }
        map.read("tier_users_per_active", into: &database.tierUsersPerActive) { value in
            guard let number = value.double() else { return nil }
            guard number > 0 else {
                value.report("must be greater than 0, got \(number)")
                return nil
            }
            return number
        }
        if let tiers = map.optional("tiers"), let table = readTiers(tiers, catalog: catalog) {
            database.tiers = table
            for key in ["primary", "replica", "replicas"] {
                map.optional(key)?.report("cannot be given with 'tiers': the tier table sets the topology")
            }
        }
        readPreProvisioning(map, into: &database)
    }

    /// `tier_provision_at` (a fraction or percentage of a tier's boundary) or `tier_schedule`
    /// (`[{at, tier}]`): when tiers are ordered ahead of the load. Both need `tiers`.
    static func readPreProvisioning(_ map: YAMLMapping, into database: inout DatabaseConfiguration) {
        let provisionAt = map.optional("tier_provision_at")
        let schedule = map.optional("tier_schedule")
        if map.optional("tiers") == nil {
            for value in [provisionAt, schedule].compactMap({ $0 }) {
                value.report("needs 'tiers': it says when the tier table's tiers are ordered")
            }
            return
        }
        if let provisionAt, schedule != nil {
            provisionAt.report("cannot be given with 'tier_schedule': order tiers by the load or by the clock, not both")
            return
        }
        if let provisionAt, let fraction = readFraction(provisionAt) { database.tierProvisionAt = fraction }
        if let schedule, let orders = readSchedule(schedule, tiers: database.tiers.count) { database.tierSchedule = orders }
    }

    /// A fraction in (0, 1], written `0.8` or `"80%"`.
    static func readFraction(_ value: YAMLValue) -> Double? {
        var number: Double?
        if let text = value.scalar?.string, text.hasSuffix("%") {
            number = YAMLValue.parseDouble(String(text.dropLast()).trimmingCharacters(in: .whitespaces)).map { $0 / 100 }
        } else {
            number = value.double()
            if number == nil { return nil }
        }
        guard let number, number > 0, number <= 1 else {
            value.report("must be a fraction of the tier's boundary above 0 and at most 1 (or 1 % … 100 %), got \(value.scalar?.string ?? "?")")
            return nil
        }
        return number
    }

    /// `[{at: duration, tier: index}]`, both strictly increasing, tiers 1 … count − 1.
    static func readSchedule(_ value: YAMLValue, tiers count: Int) -> [DatabaseConfiguration.TierOrder]? {
        guard let items = value.list() else { return nil }
        guard count >= 2 else {
            value.report("the tier table has one tier: there is nothing to order")
            return nil
        }
        var orders: [DatabaseConfiguration.TierOrder] = []
        var valid = true
        for item in items {
            guard let map = item.mapping(allowedKeys: ["at", "tier"]), let time = map.required("at")?.duration(),
                  let tierValue = map.required("tier"), let tier = tierValue.int(atLeast: 1, atMost: count - 1) else {
                valid = false
                continue
            }
            if let previous = orders.last, time <= previous.time || tier <= previous.tier {
                item.report("each order must come later and name a higher tier than the one before (tier \(previous.tier) at \(SimClock.seconds(previous.time)) s)")
                valid = false
            }
            orders.append(.init(time: time, tier: tier))
        }
        if valid, orders.isEmpty {
            value.report("must list at least one {at, tier}")
            return nil
        }
        return valid ? orders : nil
    }

    /// `database.storage`.
    static func read(storage value: YAMLValue, into storage: inout DatabaseStorage) {
        guard let map = value.mapping(allowedKeys: storageKeys) else { return }
        map.read("type", into: &storage.type) { $0.choice(DatabaseStorage.VolumeType.self, what: "volume type") }
        map.read("allocated_gib", into: &storage.allocatedGiB) { positive($0) }
        if let iops = map.optional("iops") {
            if let number = positive(iops) { storage.provisionedIOPS = number }
        } else if storage.type == .io1 {
            map.value.report("an io1 volume needs 'iops' (its provisioned IOPS)")
        }
        map.read("row_size", into: &storage.rowBytes) { $0.memorySize().map(Double.init) }
        map.read("buffer_pool_hit_ratio", into: &storage.bufferPoolHitRatio) { $0.probability() }
        map.read("rows_per_page", into: &storage.rowsPerPage) { $0.int(atLeast: 1, atMost: ScenarioBounds.smallCount) }
        map.read("write_ios", into: &storage.writeIOs) { $0.nonNegativeNumber() }
    }

    /// `seed`, or a list of `{users, primary, replica, replicas}` with `users` strictly
    /// increasing from 0.
    static func readTiers(_ value: YAMLValue, catalog: PriceCatalog) -> [DatabaseTier]? {
        if value.scalar != nil {
            guard let name = value.choice(from: ["seed"], what: "tier table") else { return nil }
            return name == "seed" ? DatabaseTier.seed : nil
        }
        guard let items = value.list() else { return nil }
        var tiers: [DatabaseTier] = []
        var valid = true
        for item in items {
            guard let map = item.mapping(allowedKeys: tierKeys) else { valid = false; continue }
            guard let usersValue = map.required("users"), let users = usersValue.int(atLeast: 0, atMost: ScenarioBounds.users),
                  let primary = map.required("primary").flatMap({ DatabaseReader.instanceClass($0, in: catalog) }) else {
                valid = false
                continue
            }
            var tier = DatabaseTier(users: users, primary: primary, replica: primary, replicas: 0)
            valid = map.read("replica", into: &tier.replica) { DatabaseReader.instanceClass($0, in: catalog) } && valid
            valid = map.read("replicas", into: &tier.replicas) { $0.int(atLeast: 0, atMost: ScenarioBounds.replicas) } && valid
            if let previous = tiers.last, users <= previous.users {
                usersValue.report("tiers must be in increasing 'users', got \(users) after \(previous.users)")
                valid = false
            } else if tiers.isEmpty, users != 0 {
                usersValue.report("the first tier must start at 0 users, got \(users)")
                valid = false
            }
            tiers.append(tier)
        }
        guard valid else { return nil }
        if tiers.isEmpty {
            value.report("must list at least one tier")
            return nil
        }
        return tiers
    }

    /// A finite number greater than 0.
    static func positive(_ value: YAMLValue) -> Double? {
        guard let number = value.double() else { return nil }
        guard number > 0 else {
            value.report("must be greater than 0, got \(number)")
            return nil
        }
        return number
    }
}
