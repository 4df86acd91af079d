// CatalogReader.swift — a price catalogue file (`catalog/aws.yaml`'s format) to a PriceCatalog.

import Foundation
import TaskSystem

// MARK: - Loading a catalogue

extension PriceCatalog {
    /// The catalogue simrun uses unless `--catalog` names another: ``builtInText``, which
    /// `catalog/aws.yaml` reproduces.
    public static let builtIn: PriceCatalog = {
        do {
            return try PriceCatalog(yaml: builtInText, path: "catalog/aws.yaml (built in)")
        } catch {
            preconditionFailure("the built-in catalogue does not load: \(error)")
        }
    }()

    /// Reads the catalogue file at `path` (bounded like a scenario file: ``ScenarioFile``).
    public init(path: String) throws(ScenarioErrors) {
        try self.init(yaml: ScenarioFile.text(at: path), path: path)
    }

    /// Decodes `yaml` as if read from `path`; every problem is thrown together.
    public init(yaml: String, path: String) throws(ScenarioErrors) {
        let diagnostics = Diagnostics(file: path)
        guard let root = YAMLDocument.root(of: yaml, diagnostics: diagnostics),
              let catalog = CatalogReader.read(root), !diagnostics.hasErrors else {
            throw diagnostics.collected
        }
        self = catalog
    }
}

// MARK: - CatalogReader

/// Reads a catalogue document: `provider`, `region`, `prices_as_of`, `sources`, `database` (a
/// list of classes), `api` (Fargate's prices) and `cache` (a list of ElastiCache node types).
enum CatalogReader {
    static let rootKeys = ["provider", "region", "prices_as_of", "sources", "database", "api", "cache"]
    static let classKeys = ["class", "vcpus", "memory", "network", "hourly_price"]
    static let apiKeys = ["vcpu_hour", "gib_hour", "memory_per_vcpu"]
    static let cacheKeys = ["node", "memory_gib", "baseline_gbps", "hourly_price"]
    static let gibibyte = 1_073_741_824

    /// The catalogue, or `nil` once problems were reported.
    static func read(_ root: YAMLValue) -> PriceCatalog? {
        guard var map = root.mapping(expected: "a mapping with 'provider', 'region', 'database', 'api', …") else { return nil }
        map.rejectKeys(notIn: rootKeys)
        let provider = map.required("provider")?.string()
        let region = map.required("region")?.string()
        let asOf = map.required("prices_as_of")?.string()
        var sources: [(String, String)] = []
        if let value = map.required("sources"), let sourceMap = value.mapping() {
            for entry in sourceMap.entries {
                if let text = entry.value.string() { sources.append((entry.key, text)) }
            }
        }
        let classes = map.required("database").flatMap(readClasses)
        let api = map.required("api").flatMap(readAPI)
        let nodes = map.required("cache").flatMap(readCacheNodes)
        guard let provider, let region, let asOf, let classes, let api, let nodes else { return nil }
        return PriceCatalog(provider: provider, region: region, pricesAsOf: asOf, sources: sources.map { ($0.0, $0.1) },
                            databaseClasses: classes, vCPUHourPrice: api.vCPU, gibHourPrice: api.gib,
                            defaultGiBPerVCPU: api.memoryPerVCPU, cacheNodes: nodes)
    }

    /// `database`: a non-empty list of classes with distinct names.
    static func readClasses(_ value: YAMLValue) -> [PriceCatalog.DatabaseClass]? {
        guard let items = value.list() else { return nil }
        guard !items.isEmpty else {
            value.report("the catalogue needs at least one database class")
            return nil
        }
        var classes: [PriceCatalog.DatabaseClass] = []
        var valid = true
        for item in items {
            guard let map = item.mapping(allowedKeys: classKeys),
                  let name = map.required("class")?.string(),
                  let vCPUs = map.required("vcpus")?.int(atLeast: 1, atMost: 1_024),
                  let memory = map.required("memory")?.memorySize(),
                  let network = map.required("network")?.string(),
                  let price = map.required("hourly_price")?.nonNegativeNumber() else {
                valid = false
                continue
            }
            guard memory % gibibyte == 0 else {
                map.optional("memory")?.report("must be a whole number of GiB (MySQL's max_connections follows it), got \(Double(memory) / Double(gibibyte)) GiB")
                valid = false
                continue
            }
            guard !classes.contains(where: { $0.instanceClass.name == name }) else {
                map.optional("class")?.report("class '\(name)' is listed twice")
                valid = false
                continue
            }
            classes.append(.init(instanceClass: DatabaseInstanceClass(name: name, vCPUs: vCPUs, memoryGiB: memory / gibibyte,
                                                                      hourlyPrice: price),
                                 network: network))
        }
        return valid ? classes : nil
    }

    /// `api`: Fargate's per-vCPU and per-GiB hourly prices, and the memory a task gets per vCPU
    /// when the scenario does not say.
    static func readAPI(_ value: YAMLValue) -> (vCPU: Double, gib: Double, memoryPerVCPU: Double)? {
        guard let map = value.mapping(allowedKeys: apiKeys),
              let vCPU = map.required("vcpu_hour")?.nonNegativeNumber(),
              let gib = map.required("gib_hour")?.nonNegativeNumber(),
              let memory = map.required("memory_per_vcpu")?.memorySize() else { return nil }
        return (vCPU, gib, Double(memory) / Double(gibibyte))
    }

    /// `cache`: a non-empty list of ElastiCache node types with distinct names.
    static func readCacheNodes(_ value: YAMLValue) -> [RedisNodeType]? {
        guard let items = value.list() else { return nil }
        guard !items.isEmpty else {
            value.report("the catalogue needs at least one cache node type")
            return nil
        }
        var nodes: [RedisNodeType] = []
        var valid = true
        for item in items {
            guard let map = item.mapping(allowedKeys: cacheKeys),
                  let name = map.required("node")?.string(),
                  let memory = map.required("memory_gib").flatMap({ positive($0, atMost: 65_536) }),
                  let bandwidth = map.required("baseline_gbps").flatMap({ positive($0, atMost: 1_000) }),
                  let price = map.required("hourly_price")?.nonNegativeNumber() else {
                valid = false
                continue
            }
            guard !nodes.contains(where: { $0.name == name }) else {
                map.optional("node")?.report("node type '\(name)' is listed twice")
                valid = false
                continue
            }
            nodes.append(RedisNodeType(name: name, memoryGiB: memory, baselineGbps: bandwidth, hourlyPrice: price))
        }
        return valid ? nodes : nil
    }

    /// A number in (0, `maximum`]: the bound keeps `maxmemory` in bytes within an `Int`.
    static func positive(_ value: YAMLValue, atMost maximum: Double) -> Double? {
        guard let number = value.double() else { return nil }
        guard number > 0, number <= maximum else {
            value.report("must be greater than 0 and at most \(maximum), got \(number)")
            return nil
        }
        return number
    }
}
