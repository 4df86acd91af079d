// CDNScenarioTests.swift — the `cdn` section of a task-system file: absence, shorthands,
// overrides, errors with positions and key paths; the CDN and per-family cache KPIs.

import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite struct CDNScenarioTests {
    static func cdn(_ section: String) throws -> CDNConfiguration? {
        try Fixture.taskSystem("kind: task-system\nname: x\n" + section).configuration.cdn
    }

    @Test func absentOrSwitchedOffMeansNoCDNAndAnEmptySectionTheDefaults() throws {
        #expect(try Self.cdn("") == nil)
        #expect(try Self.cdn("cdn: false") == nil)
        #expect(try Self.cdn("cdn: {enabled: false, ttl: 5m}") == nil)
        #expect(try Self.cdn("cdn: true") == CDNConfiguration())
        #expect(try Self.cdn("cdn: {}") == CDNConfiguration())
        let defaults = CDNConfiguration()
        #expect(defaults.cacheable.isEmpty && defaults.ttl == seconds(60) && defaults.cacheKey == .perUser
                && defaults.writerBypass && defaults.staticAssets.pages == [.login]
                && defaults.staticAssets.perPage == 4 && defaults.staticAssets.hitRatio == 0.95)
    }

    @Test func everyKeyIsRead() throws {
        let decoded = try Self.cdn("""
            cdn:
              enabled: true
              edge_latency: {distribution: constant, value: 20ms}
              cacheable: [list_tasks, get_task]
              ttl: 2m
              cache_key: url
              writer_bypass: false
              max_objects: 5000
              static_assets: {pages: [login, list_tasks], per_page: 6, hit_ratio: 0.9, origin_cpu: {distribution: constant, value: 2ms}}
            """)
        #expect(decoded == CDNConfiguration(
            edgeLatency: .constant(0.02), cacheable: [.listTasks, .getTask], ttl: seconds(120), cacheKey: .url,
            writerBypass: false, maxObjects: 5000,
            staticAssets: .init(pages: [.login, .listTasks], perPage: 6, hitRatio: 0.9, originCPU: .constant(0.002))))
    }

    @Test func badValuesAndUnknownKeysAreErrorsWithPositionAndKeyPath() throws {
        let found = try Fixture.errors("""
            kind: task-system
            name: x
            cdn:
              cacheable: [get_task, create_task, get_task]
              ttl: soon
              cache_key: cookie
              tll: 60s
              max_objects: 0
              static_assets: {hit_ratio: 1.5, per_page: -1, pages: [home]}
            """)
        #expect(found == [
            "4:25: cdn.cacheable[1]: unknown cacheable GET endpoint 'create_task'; allowed: get_task, list_tasks",
            "4:38: cdn.cacheable[2]: 'get_task' is listed twice",
            "5:8: cdn.ttl: \"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\"",
            "6:14: cdn.cache_key: unknown cache key 'cookie'; allowed: per-user, url",
            "7:3: cdn.tll: unknown key 'tll'; did you mean 'ttl'?",
            "8:16: cdn.max_objects: too small (min 1), got 0",
            "9:30: cdn.static_assets.hit_ratio: a probability must be between 0 and 1, got 1.5",
            "9:45: cdn.static_assets.per_page: too small (min 0), got -1",
            "9:57: cdn.static_assets.pages[0]: unknown endpoint 'home'; allowed: login, get_task, list_tasks, create_task, update_task, assign_task, comment, request_report, update_profile, search_tasks",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\ncdn: on") == [
            "3:6: cdn: expected true, false or a mapping such as {cacheable: [list_tasks], ttl: 60s}, got the string \"on\"",
        ])
    }

    @Test("CDN and per-family cache KPIs", arguments: [
        ("rate(cdn.hit) >= 0.9", "metrics.cdn.hit_rate"),
        ("rate(cdn.api.hit) >= 0.5", "metrics.cdn.api.hit_rate"),
        ("rate(cdn.assets.hit) >= 0.9", "metrics.cdn.assets.hit_rate"),
        ("cdn.origin_requests < 1000", "metrics.cdn.origin_requests"),
        ("cdn.stale_responses == 0", "metrics.cdn.stale_responses"),
        ("p95(cdn.latency) < 50ms", "metrics.cdn.latency.p95"),
        ("rate(cache.l1.user.hit) >= 0.9", "metrics.cache.l1.user.hit_rate"),
        ("rate(cache.l2.task_list.hit) >= 0.5", "metrics.cache.l2.task_list.hit_rate"),
        ("cache.pattern_invalidations > 0", "metrics.cache.pattern_invalidations"),
    ])
    func kpiKey(text: String, key: String) throws {
        #expect(taskSystemMetricKey(for: try KPI(parsing: text)) == key)
    }
}
