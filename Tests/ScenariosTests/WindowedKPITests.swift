// WindowedKPITests.swift — the `over 1m windows` forms: parsing, errors, and judging windows.

import Testing
@testable import Scenarios

@Suite("Windowed KPIs")
struct WindowedKPITests {
    // MARK: Parsing

    @Test("every windowed form", arguments: [
        ("p95(api.latency) < 500ms over 1m windows", 60.0, WindowRule.Allowance.noBreach),
        ("p95(api.latency) < 500ms over 1m windows at most 2 breaches", 60, .atMostBreaches(2)),
        ("p95(api.latency) < 500ms over 1m windows, at most 1 breach", 60, .atMostBreaches(1)),
        ("p95(api.latency) < 500ms over 30s windows for at least 99% of windows", 30, .atLeastFraction(0.99)),
        ("api.error_rate < 1% over 5m windows", 300, .noBreach),
        ("api.error_rate < 0.01 over 1.5m windows", 90, .noBreach),
    ])
    func parses(text: String, seconds: Double, allowance: WindowRule.Allowance) throws {
        let kpi = try KPI(parsing: text)
        #expect(kpi.window == WindowRule(seconds: seconds, allowance: allowance))
        #expect(kpi.expression == text)
    }

    @Test func thresholdAndMetricAreReadAsWithoutTheClause() throws {
        let windowed = try KPI(parsing: "p95(api.latency) < 500ms over 1m windows")
        let whole = try KPI(parsing: "p95(api.latency) < 500ms")
        #expect(windowed.threshold == whole.threshold && windowed.unit == whole.unit)
        #expect(windowed.metric == whole.metric && windowed.aggregate == whole.aggregate && windowed.op == whole.op)
        #expect(whole.window == nil)
    }

    @Test("bad window clauses", arguments: [
        ("p95(api.latency) < 500ms over windows", "expected a window clause such as 'over 1m windows'"),
        ("p95(api.latency) < 500ms over 0s windows", "window length '0s' is not a positive duration"),
        ("p95(api.latency) < 500ms over 1parsec windows", "window length '1parsec' is not a positive duration"),
        ("p95(api.latency) < 500ms over 1m windows at most two breaches", "'at most two breaches' needs a whole number"),
        ("p95(api.latency) < 500ms over 1m windows for at least 99 of windows", "needs a percentage in (0, 100]"),
        ("p95(api.latency) < 500ms over 1m windows for at least 150% of windows", "needs a percentage in (0, 100]"),
        ("p95(api.latency) < 500ms over 1m windows please", "unexpected 'please' after 'over 1m windows'"),
        ("p95(api.latency) < 500ms during 1m windows", "unknown unit 'ms during 1m windows' after 500"),
    ])
    func badClauses(text: String, message: String) {
        #expect {
            try KPI(parsing: text)
        } throws: { error in
            (error as? KPIError)?.message.contains(message) == true
        }
    }

    @Test func aTaskSystemScenarioAcceptsWindowedKPIsOnItsSeriesWindows() throws {
        let kpi = try KPI(parsing: "p95(api.latency) < 500ms over 1m windows")
        #expect(try MetricCatalogue.taskSystem.resolve(kpi) == "metrics.api.latency.p95")
        let base = "kind: task-system\nname: w\n"
        let accepted = try ScenarioLoader.load(yaml: base + "kpis: [\"p95(api.latency) < 500ms over 1m windows at most 2 breaches\"]\n", path: "w.yaml")
        #expect(accepted.kpis.first?.window == WindowRule(seconds: 60, allowance: .atMostBreaches(2)))
        let thirty = try ScenarioLoader.load(yaml: base + "series: {window: 30s}\nkpis: [\"rate(cache.hit) >= 0.9 over 30s windows\"]\n", path: "w.yaml")
        #expect(thirty.kpis.first?.window?.seconds == 30)
        // A gauge's series judges its maximum window by window.
        let depth = try ScenarioLoader.load(yaml: base + "kpis: [\"max(queue.depth) < 1000 over 1m windows\"]\n", path: "w.yaml")
        #expect(depth.kpis.first?.window?.seconds == 60)
    }

    /// A series the scenario will not record (no replicas: no replica lag) is refused when read,
    /// never an internal error after the run.
    @Test func aWindowedKPIOnASeriesTheScenarioLacksIsRefused() throws {
        let yaml = "kind: task-system\nname: w\ndatabase: {replicas: 0}\nkpis: [\"max(db.replica.lag) < 1s over 1m windows\"]\n"
        #expect {
            try ScenarioLoader.load(yaml: yaml, path: "w.yaml")
        } throws: { error in
            (error as? ScenarioErrors)?.errors.first?.message.contains("'db.replica.lag.max' has no per-window series in this scenario") == true
        }
        let withReplicas = try ScenarioLoader.load(yaml: yaml.replacingOccurrences(of: "replicas: 0", with: "replicas: 1"), path: "w.yaml")
        #expect(withReplicas.kpis.count == 1)
    }

    @Test(arguments: [
        ("p95(api.latency) < 500ms over 30s windows",
         "the KPI's windows (30s) must be the scenario's series windows (series.window: 60s); write 'over 60s windows' or set series.window"),
        ("max(db.iops) < 1000 over 1m windows", "'db.iops.max' has no per-window series to judge 'over … windows' on; metrics with series: api.requests, "),
    ])
    func windowedKPIsTheSeriesCannotJudgeAreRefused(text: String, message: String) {
        #expect {
            try ScenarioLoader.load(yaml: "kind: task-system\nname: w\nkpis: [\"\(text)\"]\n", path: "w.yaml")
        } throws: { error in
            (error as? ScenarioErrors)?.errors.first?.message.contains(message) == true
        }
    }

    @Test func networkScenariosHaveNoSeriesToJudgeWindowsOn() {
        let yaml = """
            kind: network
            name: n
            duration: 10
            stations: [{name: s, service: {distribution: constant, value: 1}}]
            arrivals: [{class: c, station: s, interarrival: {distribution: constant, value: 2}}]
            kpis: ["p95(s.response) < 5s over 1m windows"]
            """
        #expect {
            try ScenarioLoader.load(yaml: yaml, path: "n.yaml")
        } throws: { error in
            (error as? ScenarioErrors)?.errors.first?.message.contains(KPI.windowedNeedsSeries) == true
        }
    }

    // MARK: Judging windows

    /// p95 per minute: fine, then a sustained breach of 3 minutes, then fine again.
    static let windows: [WindowValue] = [0.2, 0.25, 0.9, 1.4, 0.7, 0.3, 0.2, .nan, 0.22, 0.21]
        .enumerated().map { WindowValue(start: Double($0.offset) * 60, value: $0.element) }

    @Test func everyWindowMustHoldByDefault() throws {
        let judgement = try KPI(parsing: "p95(api.latency) < 500ms over 1m windows").judge(windows: Self.windows)
        #expect(judgement.measuredWindows == 9)
        #expect(judgement.breaches == 3)
        #expect(judgement.worst == WindowValue(start: 180, value: 1.4))
        #expect(!judgement.passed)
    }

    @Test func atMostBreaches() throws {
        #expect(try KPI(parsing: "p95(api.latency) < 500ms over 1m windows at most 3 breaches").judge(windows: Self.windows).passed)
        #expect(!(try KPI(parsing: "p95(api.latency) < 500ms over 1m windows at most 2 breaches").judge(windows: Self.windows).passed))
    }

    @Test func atLeastAFractionOfWindows() throws {
        // 6 of 9 measured windows hold: 66.7 %.
        #expect(try KPI(parsing: "p95(api.latency) < 500ms over 1m windows for at least 66% of windows").judge(windows: Self.windows).passed)
        #expect(!(try KPI(parsing: "p95(api.latency) < 500ms over 1m windows for at least 67% of windows").judge(windows: Self.windows).passed))
        let exact = [0.1, 0.1, 0.1, 0.9].enumerated().map { WindowValue(start: Double($0.offset), value: $0.element) }
        #expect(try KPI(parsing: "p95(api.latency) < 500ms over 1m windows for at least 75% of windows").judge(windows: exact).passed)
    }

    @Test func worstWindowForALowerBoundIsTheLowest() throws {
        let hits = [0.97, 0.91, 0.96].enumerated().map { WindowValue(start: Double($0.offset) * 60, value: $0.element) }
        let judgement = try KPI(parsing: "rate(cache.hit) >= 95% over 1m windows").judge(windows: hits)
        #expect(judgement.worst == WindowValue(start: 60, value: 0.91))
        #expect(judgement.breaches == 1 && !judgement.passed)
    }

    @Test func noMeasuredWindowFails() throws {
        let kpi = try KPI(parsing: "p95(api.latency) < 500ms over 1m windows at most 5 breaches")
        #expect(!kpi.judge(windows: []).passed)
        #expect(!kpi.judge(windows: [WindowValue(start: 0, value: .nan)]).passed)
    }
}
