// CDNReader.swift — the `cdn` section to a CDNConfiguration (absent: no CDN).

import TaskSystem

// MARK: - CDNReader

/// Reads `cdn`: `true` (the default CDN), `false` (none), or a mapping of overrides of
/// `CDNConfiguration`'s defaults with `enabled` (default `true`) to switch it off.
enum CDNReader {
    /// The keys of `cdn`.
    static let keys = ["enabled", "edge_latency", "cacheable", "ttl", "cache_key", "writer_bypass", "max_objects",
                       "static_assets"]
    /// The keys of `cdn.static_assets`.
    static let assetKeys = ["pages", "per_page", "hit_ratio", "origin_cpu"]

    /// The CDN `value` describes (`nil`: none), or `nil` after reporting a problem.
    static func read(_ value: YAMLValue, into cdn: inout CDNConfiguration?) {
        if let enabled = value.boolIfWritten {
            cdn = enabled ? CDNConfiguration() : nil
            return
        }
        guard let map = value.mapping(allowedKeys: keys, expected: "true, false or a mapping such as {cacheable: [list_tasks], ttl: 60s}")
        else { return }
        var configuration = CDNConfiguration()
        var enabled = true
        map.read("enabled", into: &enabled) { $0.bool() }
        map.read("edge_latency", into: &configuration.edgeLatency) { $0.distribution(isTime: true) }
        map.read("cacheable", into: &configuration.cacheable) {
            endpoints($0, allowed: CDNConfiguration.cacheableEndpoints, what: "cacheable GET endpoint")
        }
        map.read("ttl", into: &configuration.ttl) { $0.duration() }
        map.read("cache_key", into: &configuration.cacheKey) { $0.choice(CDNConfiguration.CacheKey.self, what: "cache key") }
        map.read("writer_bypass", into: &configuration.writerBypass) { $0.bool() }
        map.read("max_objects", into: &configuration.maxObjects) { value in
            guard let objects = value.int(atLeast: 1, atMost: ScenarioBounds.smallCount) else { return nil }
            guard objects <= Int(Int32.max) else {
                value.report("must be at most \(Int32.max), got \(objects)")
                return nil
            }
            return objects
        }
        if let assets = map.optional("static_assets")?.mapping(allowedKeys: assetKeys) {
            assets.read("pages", into: &configuration.staticAssets.pages) {
                endpoints($0, allowed: Endpoint.allCases, what: "endpoint")
            }
            assets.read("per_page", into: &configuration.staticAssets.perPage) { $0.int(atLeast: 0, atMost: ScenarioBounds.smallCount) }
            assets.read("hit_ratio", into: &configuration.staticAssets.hitRatio) { $0.probability() }
            assets.read("origin_cpu", into: &configuration.staticAssets.originCPU) { $0.distribution(isTime: true) }
        }
        cdn = enabled ? configuration : nil
    }

    /// A list of distinct endpoint names among `allowed`, in the order written.
    private static func endpoints(_ value: YAMLValue, allowed: [Endpoint], what: String) -> [Endpoint]? {
        guard let items = value.list() else { return nil }
        var result: [Endpoint] = []
        var valid = true
        for item in items {
            guard let name = item.choice(from: allowed.map(\.rawValue), what: what),
                  let endpoint = Endpoint(rawValue: name) else {
                valid = false
                continue
            }
            if result.contains(endpoint) {
                item.report("'\(name)' is listed twice")
                valid = false
                continue
            }
            result.append(endpoint)
        }
        return valid ? result : nil
    }
}
