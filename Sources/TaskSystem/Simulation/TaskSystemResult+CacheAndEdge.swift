import Sim

// MARK: - Hit rates per layer and data type, and the CDN edge

extension TaskSystemResult {
    /// The key families reported per layer: every family the API looks data up in
    /// (`rate_limit` counters are incremented, never looked up; `last_write` markers are
    /// consistency checks, excluded from the cache hit rates as well).
    public static let reportedFamilies = CacheKey.Family.allCases.filter { $0 != .rateLimit && $0 != .lastWrite }

    /// `cache.l1.<family>.hit_rate` then `cache.l2.<family>.hit_rate`, for each reported family
    /// in `CacheKey.Family` order; NaN (`null`) for a family without lookups in that layer.
    static func familyHitRates(from start: MeasurementSnapshot, to end: MeasurementSnapshot) -> [(String, Double)] {
        func rate(_ hits: Int, _ misses: Int) -> Double {
            hits + misses == 0 ? .nan : Double(hits) / Double(hits + misses)
        }
        var metrics: [(String, Double)] = []
        for (layer, hits, misses) in [("l1", \MeasurementSnapshot.localFamilyHits, \MeasurementSnapshot.localFamilyMisses),
                                      ("l2", \MeasurementSnapshot.sharedFamilyHits, \MeasurementSnapshot.sharedFamilyMisses)] {
            for family in reportedFamilies {
                let i = family.index
                metrics.append(("cache.\(layer).\(family).hit_rate",
                                rate(end[keyPath: hits][i] - start[keyPath: hits][i],
                                     end[keyPath: misses][i] - start[keyPath: misses][i])))
            }
        }
        return metrics
    }

    /// The CDN edge's figures after the warm-up (zero counts and NaN rates without a CDN).
    static func edgeMetrics(_ edge: EdgeCounters, latency: LatencyHistogram) -> [(String, Double)] {
        func fraction(_ part: Int, _ whole: Int) -> Double { whole == 0 ? .nan : Double(part) / Double(whole) }
        func percentile(_ p: Double) -> Double { latency.count == 0 ? .nan : latency.percentile(p) }
        return [
            ("cdn.requests", Double(edge.requests)),
            ("cdn.hit_rate", fraction(edge.hits, edge.requests)),
            ("cdn.origin_requests", Double(edge.originRequests)),
            ("cdn.api.hit_rate", fraction(edge.apiHits, edge.apiLookups)),
            ("cdn.assets.hit_rate", fraction(edge.assetHits, edge.assetRequests)),
            ("cdn.assets.origin_requests", Double(edge.assetRequests - edge.assetHits)),
            ("cdn.assets.bad_gateway", Double(edge.badGateway)),
            ("cdn.stale_responses", Double(edge.staleResponses)),
            ("cdn.bypasses", Double(edge.bypasses)),
            ("cdn.latency.p50", percentile(50)),
            ("cdn.latency.p95", percentile(95)),
            ("cdn.latency.p99", percentile(99)),
        ]
    }
}
