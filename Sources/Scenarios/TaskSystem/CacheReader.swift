// CacheReader.swift — the `cache` section to a SharedCacheConfiguration and cache warming.

import TaskSystem

// MARK: - CacheReader

/// Reads `cache` over the defaults of `SharedCacheConfiguration` (and the configuration's
/// `warmCache`).
enum CacheReader {
    /// The keys of `cache`.
    static let keys = ["latency", "max_memory", "eviction", "rate_limit", "warm"]

    /// Overrides `cache` and `warm` with what `value` gives.
    static func read(_ value: YAMLValue, into cache: inout SharedCacheConfiguration, warm: inout Bool) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        map.read("latency", into: &cache.latency) { $0.distribution(isTime: true) }
        if let bytes = map.optional("max_memory")?.memorySize() {
            cache.redis.maxMemory = bytes
        }
        map.read("eviction", into: &cache.redis.evictionPolicy) {
            $0.choice(RedisEvictionPolicy.self, what: "eviction policy")
        }
        map.read("rate_limit", into: &cache.rateLimit) { $0.int(atLeast: 1, atMost: ScenarioBounds.smallCount) }
        map.read("warm", into: &warm) { $0.bool() }
    }
}
