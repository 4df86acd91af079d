// WindowedKPIRunTests.swift — windowed KPIs judged on a run's own series, end to end.

import Foundation
import Testing
@testable import Reports
import Scenarios

@Suite struct WindowedKPIRunTests {
    /// Runs the two-minute scenario with `kpis` (30 s series windows) and returns summary.json.
    func summary(kpis: [String]) async throws -> JSONValue {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        var yaml = twoMinuteTaskSystemScenario.components(separatedBy: "kpis:")[0]
        yaml += "series: {window: 30s}\nkpis:\n" + kpis.map { "  - \"\($0)\"\n" }.joined()
        let file = try scratch.write("windowed.yaml", yaml)
        let outcome = try await ScenarioRun(path: file, outputFolder: scratch.url.appendingPathComponent("out").path,
                                            threads: 2).execute()
        let text = try String(contentsOf: outcome.folder.appendingPathComponent("summary.json"), encoding: .utf8)
        return try JSONValue(parsing: text)
    }

    /// The member `key` of an object (keys holding dots, such as `api.latency`).
    func member(_ object: JSONValue?, _ key: String) -> JSONValue? {
        guard case .object(let members)? = object else { return nil }
        return members.first { $0.0 == key }?.1
    }

    @Test func verdictsCountTheBreachesOfTheSeriesTheSummaryShows() async throws {
        let kpis = ["p95(api.latency) < 5s over 30s windows",
                    "p95(api.latency) < 1ms over 30s windows at most 1 breaches",
                    "rate(cache.hit) >= 0.5 over 30s windows, for at least 50% of windows"]
        let summary = try await summary(kpis: kpis)
        guard case .array(let verdicts)? = summary.value(at: "kpis"),
              case .array(let p95)? = member(summary.value(at: "series.metrics"), "api.latency")?.value(at: "p95.mean") else {
            Issue.record("summary.json lacks kpis or the api.latency series")
            return
        }
        // The windows the verdict judged are the series' means: recount the breaches from them.
        let values = p95.compactMap { value -> Double? in if case .number(let v) = value { v } else { nil } }
        #expect(values.count == 4)  // 2 simulated minutes of 30 s windows, every one measured
        #expect(verdicts.count == 3)
        #expect(verdicts[0].value(at: "passed") == .bool(true))
        #expect(verdicts[0].value(at: "windows")?.value(at: "breaches") == .int(values.filter { $0 >= 5 }.count))
        #expect(verdicts[0].value(at: "value") == .number(values.max()!))
        // Every window's p95 is above 1 ms, so all four breach: more than the one allowed.
        #expect(verdicts[1].value(at: "windows")?.value(at: "breaches") == .int(values.filter { $0 >= 0.001 }.count))
        #expect(verdicts[1].value(at: "windows")?.value(at: "measured") == .int(4))
        #expect(verdicts[1].value(at: "passed") == .bool(values.filter { $0 >= 0.001 }.count <= 1))
        #expect(verdicts[2].value(at: "windows")?.value(at: "measured") == .int(4))
    }
}
