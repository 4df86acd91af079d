// CacheReader.swift — the `cache` section to a SharedCacheConfiguration and cache warming.

import TaskSystem

// MARK: - CacheReader

/// Reads `cache` over the defaults of `SharedCacheConfiguration` (and the configuration's
/// `warmCache`).
enum CacheReader {
    /// The keys of `cache`.
    static let keys = ["latency", "max_memory", "eviction", "rate_limit", "warm", "node", "command_time",
                       "bandwidth_gbps", "pattern_delete", "scan_count", "key_scan_time", "l1"]
    /// The keys of `cache.l1`.
    static let localKeys = ["mode"]

    /// Overrides `cache`, `warm` and the L1's mode (`l1.mode`) with what `value` gives; node
    /// types come from `catalog`.
    static func read(_ value: YAMLValue, into cache: inout SharedCacheConfiguration, warm: inout Bool,
                     localMode: inout LocalCacheMode, catalog: PriceCatalog) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        if let local = map.optional("l1")?.mapping(allowedKeys: localKeys) {
            local.read("mode", into: &localMode) { $0.choice(LocalCacheMode.self, what: "L1 mode") }
        }
        map.read("latency", into: &cache.latency) { $0.distribution(isTime: true) }
        if let bytes = map.optional("max_memory")?.memorySize() {
            cache.redis.maxMemory = bytes
        }
        map.read("eviction", into: &cache.redis.evictionPolicy) {
            $0.choice(RedisEvictionPolicy.self, what: "eviction policy")
        }
        map.read("rate_limit", into: &cache.rateLimit) { $0.int(atLeast: 1, atMost: ScenarioBounds.smallCount) }
        map.read("warm", into: &warm) { $0.bool() }
        if let node = map.optional("node") { readNode(node, into: &cache, catalog: catalog) }
        map.read("command_time", into: &cache.commandTime) { $0.nonNegativeSeconds() }
        if let gbps = map.optional("bandwidth_gbps").flatMap(DatabaseLimitsReader.positive) {
            cache.bandwidth = gbps * 1e9 / 8
        }
        map.read("pattern_delete", into: &cache.patternDelete) {
            $0.choice(RedisPatternDelete.self, what: "pattern deletion")
        }
        map.read("scan_count", into: &cache.scanCount) { $0.int(atLeast: 1, atMost: ScenarioBounds.smallCount) }
        map.read("key_scan_time", into: &cache.keyScanTime) { $0.nonNegativeSeconds() }
    }

    /// `node`: a node type of the price catalogue, or `none` (no memory or bandwidth limit, no price).
    private static func readNode(_ value: YAMLValue, into cache: inout SharedCacheConfiguration, catalog: PriceCatalog) {
        guard let name = value.string() else { return }
        if name == "none" {
            cache.node = nil
            return
        }
        if let node = catalog.cacheNode(named: name) {
            cache.node = node
            return
        }
        let names = catalog.cacheNodes.map(\.name)
        let near = Suggestions.closest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
        value.report("unknown node type '\(name)'\(near); the catalogue: \(names.joined(separator: ", ")), none")
    }
}
