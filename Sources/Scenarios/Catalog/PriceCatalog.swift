// PriceCatalog.swift — the instance classes and prices a scenario's names resolve to.

import TaskSystem

// MARK: - PriceCatalog

/// What each resource a scenario names costs, and what it is: the RDS classes (vCPUs, memory,
/// network, hourly price), the per-vCPU and per-GiB hourly prices of API tasks and Celery
/// workers (ECS on Fargate), and the ElastiCache node types (memory, bandwidth, hourly price). Read from `catalog/aws.yaml`'s format: the built-in ``PriceCatalog/builtIn`` or a
/// file given with `--catalog`.
///
/// A scenario's class names (`database.primary`, `replica`, `tiers[i]`) must be in the catalogue,
/// and take its prices, and so must `cache.node`; the API's hourly price is the task size's
/// (`api.vcpus` × the vCPU-hour price + `api.memory` × the GiB-hour price) unless the scenario
/// writes `api.hourly_price`, and a worker's likewise (`jobs.worker_vcpus`, `jobs.worker_memory`,
/// `jobs.worker_hourly_price`).
public struct PriceCatalog: Sendable, Equatable {
    /// One RDS class, with the network its table lists.
    public struct DatabaseClass: Sendable, Equatable {
        public var instanceClass: DatabaseInstanceClass
        /// As the provider writes it: `Up to 10 Gbps`.
        public var network: String
    }

    /// `aws`.
    public var provider: String
    /// The region the prices are for: `us-east-1`.
    public var region: String
    /// When the prices were taken: `2026-12`.
    public var pricesAsOf: String
    /// Where they come from, per section.
    public var sources: [(section: String, source: String)]
    /// RDS classes, in the catalogue's order.
    public var databaseClasses: [DatabaseClass]
    /// Fargate: dollars per vCPU-hour and per GiB-hour of a task.
    public var vCPUHourPrice: Double
    public var gibHourPrice: Double
    /// Memory per vCPU of a task whose scenario does not write `api.memory`.
    public var defaultGiBPerVCPU: Double
    /// ElastiCache node types, in the catalogue's order.
    public var cacheNodes: [RedisNodeType]

    public static func == (lhs: PriceCatalog, rhs: PriceCatalog) -> Bool {
        lhs.provider == rhs.provider && lhs.region == rhs.region && lhs.pricesAsOf == rhs.pricesAsOf
            && lhs.sources.map(\.section) == rhs.sources.map(\.section) && lhs.sources.map(\.source) == rhs.sources.map(\.source)
            && lhs.databaseClasses == rhs.databaseClasses && lhs.vCPUHourPrice == rhs.vCPUHourPrice
            && lhs.gibHourPrice == rhs.gibHourPrice && lhs.defaultGiBPerVCPU == rhs.defaultGiBPerVCPU
            && lhs.cacheNodes == rhs.cacheNodes
    }

    // MARK: Lookups

    /// The class called `name`, if the catalogue has it.
    public func databaseClass(named name: String) -> DatabaseInstanceClass? {
        databaseClasses.first { $0.instanceClass.name == name }?.instanceClass
    }

    /// The node type called `name`, if the catalogue has it.
    public func cacheNode(named name: String) -> RedisNodeType? {
        cacheNodes.first { $0.name == name }
    }

    /// The node types of `node`'s family (`cache.r6g` for `cache.r6g.large`), cheapest first
    /// (catalogue order among equal prices): the ladder `plan` climbs.
    public func cacheFamily(of node: RedisNodeType) -> [RedisNodeType] {
        let family = Self.familyName(node.name)
        return cacheNodes.enumerated().filter { Self.familyName($0.element.name) == family }
            .sorted { ($0.element.hourlyPrice, $0.offset) < ($1.element.hourlyPrice, $1.offset) }.map(\.element)
    }

    /// The hourly price of a task of `vCPUs` and `memoryGiB`, to a billionth of a dollar (a sum
    /// of decimal prices is not exact in binary: 0.04048 + 2 × 0.004445 would be
    /// 0.049370000000000004, not the 0.04937 on the price page).
    public func taskHourlyPrice(vCPUs: Int, memoryGiB: Double) -> Double {
        ((Double(vCPUs) * vCPUHourPrice + memoryGiB * gibHourPrice) * 1e9).rounded() / 1e9
    }

    /// The classes of `instanceClass`'s family (`db.r5` for `db.r5.xlarge`), smallest first: the
    /// ladder a vertical upgrade climbs.
    public func family(of instanceClass: DatabaseInstanceClass) -> [DatabaseInstanceClass] {
        let family = Self.familyName(instanceClass.name)
        return databaseClasses.map(\.instanceClass).filter { Self.familyName($0.name) == family }
            .enumerated().sorted { ($0.element.vCPUs, $0.offset) < ($1.element.vCPUs, $1.offset) }.map(\.element)
    }

    /// `db.r5` for `db.r5.xlarge` (`cache.r6g` for `cache.r6g.large`): the name up to its last dot.
    static func familyName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    // MARK: Pricing a configuration

    /// What a scenario writes about the size and price of its Fargate tasks (API and workers).
    struct TaskSizes {
        /// `api.memory` in GiB, when written.
        var apiMemoryGiB: Double?
        /// Whether `api.hourly_price` overrides the catalogue.
        var apiPriceWritten = false
        /// `jobs.worker_vcpus` (1 unless written) and `jobs.worker_memory` in GiB, when written.
        var workerVCPUs = 1
        var workerMemoryGiB: Double?
        /// Whether `jobs.worker_hourly_price` overrides the catalogue.
        var workerPriceWritten = false
    }

    /// `configuration` with every class and the Redis node replaced by the catalogue's entry of
    /// the same name (its prices and sizes), the upgrade ladder set to the primary's family, and
    /// the API's and the workers' hourly prices set to their task sizes' unless written.
    func priced(_ configuration: TaskSystemConfiguration, sizes: TaskSizes) -> TaskSystemConfiguration {
        var configuration = configuration
        func entry(_ instanceClass: DatabaseInstanceClass) -> DatabaseInstanceClass {
            databaseClass(named: instanceClass.name) ?? instanceClass
        }
        configuration.database.primary = entry(configuration.database.primary)
        configuration.database.replica = entry(configuration.database.replica)
        configuration.database.tiers = configuration.database.tiers.map { tier in
            var tier = tier
            tier.primary = entry(tier.primary)
            tier.replica = entry(tier.replica)
            return tier
        }
        configuration.database.upgradeLadder = family(of: configuration.database.primary)
        if let node = configuration.cache.node {
            configuration.cache.node = cacheNode(named: node.name) ?? node
        }
        if !sizes.apiPriceWritten {
            let memory = sizes.apiMemoryGiB ?? Double(configuration.api.vCPUs) * defaultGiBPerVCPU
            configuration.api.hourlyPrice = taskHourlyPrice(vCPUs: configuration.api.vCPUs, memoryGiB: memory)
        }
        if !sizes.workerPriceWritten {
            let memory = sizes.workerMemoryGiB ?? Double(sizes.workerVCPUs) * defaultGiBPerVCPU
            configuration.jobs.workerHourlyPrice = taskHourlyPrice(vCPUs: sizes.workerVCPUs, memoryGiB: memory)
        }
        return configuration
    }
}
