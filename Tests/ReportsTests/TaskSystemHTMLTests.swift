// TaskSystemHTMLTests.swift — report.html of a task-system run: order, escaping, no script,
// nothing external, a chart for every series the run has, and every chart on the agreed series.

import Foundation
import Testing
@testable import Reports
import Scenarios

/// The short task-system scenario with a hostile header comment.
let hostileTaskSystemScenario = """
    # Question: does <script>alert(1)</script> stay text? & "quotes" too
    # second line <img src=x onerror=alert(2)>
    \(twoMinuteTaskSystemScenario)
    """

/// Runs `yaml` into a scratch folder; returns the folder's report.html and summary.json.
func runTaskSystemReport(_ yaml: String, in scratch: ScratchFolder) async throws -> (html: String, summary: JSONValue, report: TaskSystemReport) {
    let file = try scratch.write("scenario.yaml", yaml)
    let outcome = try await ScenarioRun(path: file, outputFolder: scratch.url.appendingPathComponent("out").path, threads: 2).execute()
    guard case .taskSystem(let report) = outcome.report else { throw HTMLTestError.notTaskSystem }
    let html = try String(contentsOf: outcome.folder.appendingPathComponent("report.html"), encoding: .utf8)
    let summary = try JSONValue(parsing: String(contentsOf: outcome.folder.appendingPathComponent("summary.json"), encoding: .utf8))
    return (html, summary, report)
}

enum HTMLTestError: Error { case notTaskSystem }

/// The chart ids of report.html and the series each draws (any one suffices to draw it).
let chartSeries: [(id: String, metrics: [String])] = [
    ("load", ["users.concurrent", "api.throughput"]), ("latency", ["api.latency"]), ("errors", ["api.error_rate"]),
    ("instances", ["api.instances.desired", "api.instances"]),
    ("cpu", ["api.cpu.utilization", "db.primary.cpu.utilization", "db.replica.cpu.utilization"]),
    ("database", ["db.primary.qps", "db.replica.qps", "db.replica.lag"]),
    ("pool", ["db.pool.utilization", "db.connections.utilization", "db.pool.timeouts"]),
    ("caches", ["cache.hit", "cache.l1.hit", "cache.l2.hit", "cdn.hit"]),
    ("queues", ["queue.depth", "jobs.workers"]), ("cost", ["cost.total"]),
]

/// The elements report.html may use: text, tables, figures and SVG shapes; nothing that runs
/// or loads (no script, img, link, iframe, object, embed, use, image, foreignObject).
let allowedElements: Set<String> = [
    "!doctype", "html", "head", "meta", "title", "style", "body", "header", "footer", "section", "h1", "h2", "p",
    "strong", "code", "pre", "blockquote", "details", "summary", "table", "thead", "tbody", "tr", "th", "td",
    "ul", "li", "div", "figure", "figcaption", "svg", "g", "line", "path", "rect", "text",
]

/// Checks that a page carries no script and loads nothing from elsewhere: every tag is an
/// allowed element with no `src`, `href` or `on…` attribute, and the style sheet imports nothing.
/// (Escaped text holds no `<`, so every `<` starts a tag.)
func expectSelfContained(_ html: String) {
    let tags = html.matches(of: /<\/?([!a-zA-Z][a-zA-Z0-9]*)([^>]*)>/)
    #expect(tags.count > 100)
    for tag in tags {
        let name = tag.1.lowercased()
        #expect(allowedElements.contains(name), "an element report.html must not have: <\(name)>")
        let attributes = tag.2.lowercased()
        #expect(attributes.firstMatch(of: /\s(src|href|xlink:href|on[a-z]+)\s*=/) == nil, "<\(name)\(tag.2)>")
    }
    let style = html.firstMatch(of: /<style>([\s\S]*?)<\/style>/).map { String($0.1) } ?? ""
    #expect(!style.isEmpty && !style.contains("url(") && !style.contains("@import") && !style.contains("@font-face"))
    #expect(!html.lowercased().contains("javascript:"))
    #expect(style.contains("@media print {") && style.contains("break-inside: avoid"))
    #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"))
}

@Suite struct TaskSystemHTMLTests {
    @Test func everyRunWritesASelfContainedPageWithTheVerdictFirst() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (html, summary, _) = try await runTaskSystemReport(hostileTaskSystemScenario, in: scratch)
        expectSelfContained(html)
        // In order: verdict, question, configuration with the replay command, charts, key
        // figures, timeline, the scenario file.
        let anchors = ["<section id=\"verdict\">", "<section id=\"question\">", "<section id=\"configuration\">",
                       "simrun run ", "<section id=\"charts\">", "<section id=\"figures\">", "<section id=\"timeline\">",
                       "<section id=\"scenario-file\">"]
        let positions = try anchors.map { anchor in try #require(html.range(of: anchor), "missing \(anchor)").lowerBound }
        #expect(positions == positions.sorted())
        // Every KPI with value, threshold, verdict and margin; the short run fails the 99 % hit rate.
        for expression in ["p95(api.latency) &lt; 500ms", "rate(cache.hit) &gt;= 0.99", "api.error_rate &lt; 1%", "cost.total &lt; 5"] {
            #expect(html.contains("<tr><td><code>\(expression)</code></td>"), "no row for \(expression)")
        }
        #expect(html.contains(" ms</td><td class=\"num\">&lt; 500 ms</td><td class=\"pass\">pass</td><td class=\"num\">+"))
        #expect(html.contains("<td class=\"num\">&gt;= 99 %</td><td class=\"fail\">FAIL</td><td class=\"num\">-"))
        #expect(html.contains("<p class=\"verdict fail\">1 of 4 KPIs failed</p>"))
        #expect(html.contains("--seed 5 --replications 2</code></pre>"))
        // A chart for each chart whose series the run has; a note for each other.
        let names = Set(summary.member("series")?.member("metrics")?.members?.map(\.0) ?? [])
        #expect(names.contains("api.latency") && names.contains("users.concurrent"))
        for (id, metrics) in chartSeries {
            let drawn = metrics.contains { names.contains($0) } || (id == "queues" && names.contains { $0.hasPrefix("queue.") })
            if drawn {
                #expect(html.contains("<figure class=\"chart\" data-chart=\"\(id)\">"), "chart \(id) missing")
            } else {
                #expect(html.contains("data-chart-omitted=\"\(id)\"") && html.contains("left out: this run has no series"),
                        "no note for the left-out chart \(id)")
            }
        }
        #expect(html.contains("data-chart=\"latency\"") && html.contains("data-chart=\"load\""))
    }

    @Test func hostileTextFromTheScenarioRendersAsText() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (html, _, report) = try await runTaskSystemReport(hostileTaskSystemScenario, in: scratch)
        #expect(report.scenario.question == """
            Question: does <script>alert(1)</script> stay text? & "quotes" too
            second line <img src=x onerror=alert(2)>
            """)
        #expect(html.contains("<blockquote class=\"question\">\n<p>Question: does &lt;script&gt;alert(1)&lt;/script&gt; stay text? &amp; &quot;quotes&quot; too second line &lt;img src=x onerror=alert(2)&gt;</p>\n</blockquote>"))
        #expect(!html.contains("<script>") && !html.contains("<img"))
    }

    @Test func paramSettingsAreListedBesideTheFileTheyChange() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("scenario.yaml", shortTaskSystemScenario)
        let settings = try [ParameterSetting(parsing: "api.instances=3"), ParameterSetting(parsing: "database.replicas=<2>")]
        // A value the reader refuses never reaches a page: only the valid setting is run.
        #expect(throws: ScenarioErrors.self) {
            try ScenarioRun(path: file, overrides: .init(settings: settings), threads: 1).load()
        }
        let run = ScenarioRun(path: file, overrides: .init(settings: [settings[0]]),
                              outputFolder: scratch.url.appendingPathComponent("out").path, threads: 2)
        let outcome = try await run.execute()
        let html = try String(contentsOf: outcome.folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<tr><th>--param api.instances</th><td>3 (replaces the file&#39;s value)</td></tr>"))
        #expect(html.contains("--param api.instances=3 --seed 5"))
        #expect(html.contains("the --param settings listed under Configuration replace the values they name"))
    }

    @Test func aWindowedKPIShowsItsWorstWindowAndItsBreachesAreShaded() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        var yaml = twoMinuteTaskSystemScenario.components(separatedBy: "kpis:")[0]
        yaml += "series: {window: 30s}\nkpis:\n  - \"p95(api.latency) < 1ms over 30s windows at most 1 breaches\"\n"
        let (html, summary, report) = try await runTaskSystemReport(yaml, in: scratch)
        let verdict = try #require(report.verdicts.first?.windows)
        let worst = try #require(verdict.worst)
        #expect(verdict.breaches == 4 && verdict.measuredWindows == 4)  // 1 ms: every window breaches
        let span = "from \(Format.clock(worst.start)) to \(Format.clock(worst.start + 30)); 4 of 4 windows breach"
        #expect(html.contains("<td class=\"fail\">FAIL</td><td class=\"num\">-") && html.contains("<td>\(span)</td></tr>"))
        // On the latency chart: the threshold and the four breaching windows shaded as one span.
        let latency = try #require(html.components(separatedBy: "data-chart=\"latency\"").dropFirst().first?
            .components(separatedBy: "</figure>").first)
        #expect(latency.contains("class=\"threshold\"") && latency.contains(">p95(api.latency) &lt; 1ms over 30s windows at most 1 breaches</text>"))
        #expect(latency.components(separatedBy: "<rect class=\"region breach\"").count - 1 == 1)
        #expect(summary.member("series")?.member("window_seconds")?.number == 30)
    }

    @Test func scalingMarksAreLabelledByTheirPolicy() {
        #expect(RunTimeline.policyLabel("policy cpu-target-70; cpu-target-70: cpu_utilization 81.2 against 70.0") == "cpu-target-70")
        #expect(RunTimeline.policyLabel("policy request-count-above-10000: desired capacity already sufficient; …")
                == "request-count-above-10000")
        #expect(RunTimeline.policyLabel("below minimum capacity; numbers") == "below minimum capacity")
        #expect(RunTimeline.firstClause(String(repeating: "x", count: 50)).count == 40)
    }

    @Test func headerCommentIsTheLeadingCommentBlock() {
        #expect(ScenarioHeader.comment(of: "# one\n#two\n\n#  three\nkind: x\n# not this\n") == "one\ntwo\n\n three")
        #expect(ScenarioHeader.comment(of: "kind: x\n# later\n") == "")
        #expect(ScenarioHeader.comment(of: "\n\n# after blanks\r\nkind: x") == "after blanks")
    }

    // MARK: The agreed series names, on a synthetic summary

    /// A summary whose `series` carries every name the charts read (docs/metrics.md, the names
    /// agreed with the series work) over 4 half-minute windows (the run lasts 2 minutes) and 2 replications, and whose
    /// `events` hold a crash, scaling decisions of the API and the workers and a database tier.
    static func syntheticSummary(costStatistic: String = "value") -> JSONValue {
        func statistic(_ base: [Double]) -> JSONValue {
            let second = base.map { $0 * 1.1 }
            return .object([
                ("mean", .array(zip(base, second).map { .number(($0 + $1) / 2) })),
                ("ci95", .array(zip(base, second).map { .number(abs($1 - $0) * 6.35) })),
                ("replications", .array([.array(base.map(JSONValue.number)), .array(second.map(JSONValue.number))])),
            ])
        }
        func gauge(_ base: [Double]) -> JSONValue { .object([("mean", statistic(base)), ("max", statistic(base.map { $0 + 1 }))]) }
        func value(_ base: [Double]) -> JSONValue { .object([("value", statistic(base))]) }
        let metrics: [(String, JSONValue)] = [
            ("users.concurrent", gauge([10, 20, 30, 40])),
            ("api.throughput", value([5, 10, 15, 20])),
            ("api.latency", .object([("p50", statistic([0.01, 0.02, 0.02, 0.03])), ("p95", statistic([0.1, 0.2, 0.6, 0.3])),
                                     ("p99", statistic([0.2, 0.4, 0.9, 0.5]))])),
            ("api.error_rate", value([0, 0.001, 0.02, 0])),
            ("api.instances", gauge([2, 2, 3, 4])), ("api.instances.desired", gauge([2, 3, 4, 4])),
            ("api.cpu.utilization", value([0.5, 0.8, 0.9, 0.6])), ("db.primary.cpu.utilization", value([0.2, 0.3, 0.4, 0.3])),
            ("db.replica.cpu.utilization", value([0.1, 0.2, 0.2, 0.1])),
            ("db.primary.qps", value([50, 60, 70, 80])), ("db.replica.qps", value([0, 20, 40, 60])),
            ("db.replica.lag", gauge([0, 0.05, 0.4, 0.1])),
            ("db.pool.utilization", value([0.1, 0.5, 1, 0.4])), ("db.connections.utilization", value([0.05, 0.1, 0.2, 0.1])),
            ("db.pool.timeouts", .object([("count", statistic([0, 0, 12, 1]))])),
            ("cache.hit", value([0.5, 0.9, 0.95, 0.96])), ("cache.l1.hit", value([0.3, 0.7, 0.8, 0.8])),
            ("cache.l2.hit", value([0.4, 0.6, 0.7, 0.7])), ("cdn.hit", value([0.8, 0.9, 0.9, 0.9])),
            ("queue.depth", gauge([0, 30, 200, 40])), ("queue.notifications.depth", gauge([0, 20, 150, 30])),
            ("queue.reports.depth", gauge([0, 10, 50, 10])), ("jobs.workers", gauge([4, 4, 8, 8])),
            ("cost.total", .object([(costStatistic, statistic([0.01, 0.02, 0.03, 0.03]))])),
        ]
        func event(_ at: Double, _ component: String, _ kind: String, _ from: String, _ to: String, _ reason: String) -> JSONValue {
            .object([("at", .number(at)), ("component", .string(component)), ("kind", .string(kind)), ("from", .string(from)),
                     ("to", .string(to)), ("reason", .string(reason))])
        }
        return .object([
            ("series", .object([("window_seconds", .number(30)), ("window_start_seconds", .array([0, 30, 60, 90].map(JSONValue.number))),
                                ("metrics", .object(metrics))])),
            ("events", .object([
                ("replication_1", .array([
                    event(30, "autoscaler", "scaling-decision", "2", "3", "policy cpu-target-70; cpu-target-70: cpu_utilization 81.2 against 70.0"),
                    event(40, "autoscaler", "scaling-decision", "3", "3", "policy cpu-target-70: desired capacity already sufficient"),
                    event(70, "faults", "instance-crashed", "healthy", "crashed", "instance 1; 3 request(s) in flight answered 502 <b>"),
                    event(50, "database", "tier", "", "", "tier 1: db.r5.xlarge + 2× db.r5.large"),
                    event(60, "jobs", "worker-scaling", "4", "8", "queue notifications: 150 jobs waiting, adding workers"),
                    event(100, "api", "instance-in-service", "2", "3", "instance 3 passed its start-up"),
                ])),
                ("counts", .array([.object([("replication", .int(1)), ("events", .int(6)), ("dropped", .int(0))])])),
            ])),
        ])
    }

    @Test func everyChartDrawsTheAgreedSeriesWithBandsMarksAndFaults() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (_, _, report) = try await runTaskSystemReport(twoMinuteTaskSystemScenario, in: scratch)
        let page = TaskSystemHTML(report: report, summary: Self.syntheticSummary())
        let html = page.text
        expectSelfContained(html)
        #expect(!html.contains("data-chart-omitted"), "a chart was left out of the synthetic summary's page")
        let figures = html.components(separatedBy: "<figure class=\"chart\" data-chart=\"").dropFirst()
        #expect(figures.map { String($0.prefix { $0 != "\"" }) } == chartSeries.map(\.id))
        for figure in figures {
            let id = String(figure.prefix { $0 != "\"" })
            let body = figure.components(separatedBy: "</figure>")[0]
            #expect(body.contains("<path class=\"series c0"), "\(id): no line")
            #expect(body.contains("<path class=\"band c0\""), "\(id): no 95 % band")
            #expect(body.contains("<rect class=\"region fault\""), "\(id): no fault window")
            #expect(body.contains("<rect class=\"region warmup\""), "\(id): no warm-up")
        }
        let charts = page.charts.compactMap { section -> Chart? in if case .chart(let chart) = section { chart } else { nil } }
        func chart(_ id: String) -> Chart { charts.first { $0.id == id }! }
        // The fault runs from the crash (1:10) to the next API instance in service (1:40).
        #expect(chart("latency").regions.contains(ChartRegion(kind: .fault, start: 70, end: 100,
            label: "instance-crashed at 1:10: instance 1; 3 request(s) in flight answered 502 <b>")))
        #expect(html.contains("answered 502 &lt;b&gt;") && !html.contains("502 <b>"))
        // Latency: the KPI's threshold, and the window whose p95 (0.63 s) breaches 500 ms shaded (1:00–1:30).
        #expect(chart("latency").thresholds == [ChartThreshold(value: 0.5, label: "p95(api.latency) < 500ms")])
        #expect(chart("latency").regions.filter { $0.kind == .breach }.map { [$0.start, $0.end] } == [[60, 90]])
        // Scaling decisions that changed the count, labelled by policy; database and workers too.
        #expect(chart("instances").markers == [ChartMarker(time: 30, label: "cpu-target-70 2→3")])
        #expect(chart("database").markers.map(\.label) == ["tier 1: db.r5.xlarge + 2× db.r5.large"])
        #expect(chart("queues").markers == [ChartMarker(time: 60, label: "queue notifications 4→8")])
        #expect(chart("queues").lines.map(\.label) == ["queue notifications, deepest", "queue reports, deepest",
                                                       "all queues, deepest", "workers in service"])
        #expect(chart("database").right != nil && chart("database").lines.last?.side == .right)
        // Cost accumulates: from $0 to the sum of the windows' means, the band from each replication's running total.
        let cost = chart("cost").lines[0].points
        #expect(cost.map(\.time) == [0, 30, 60, 90, 120])
        #expect(abs(cost.last!.value! - 0.09 * 1.05) < 1e-12)
        #expect(cost.dropFirst().allSatisfy { $0.band != nil })
    }

    @Test func costIsDrawnWhetherItsSeriesStatisticIsValueOrCount() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (_, _, report) = try await runTaskSystemReport(twoMinuteTaskSystemScenario, in: scratch)
        for statistic in ["value", "count"] {
            let page = TaskSystemHTML(report: report, summary: Self.syntheticSummary(costStatistic: statistic))
            let cost = page.charts.first { $0.id == "cost" }
            guard case .chart(let chart)? = cost else { Issue.record("no cost chart"); continue }
            #expect(abs((chart.lines[0].points.last?.value ?? 0) - 0.09 * 1.05) < 1e-12)
        }
    }

    @Test func aChartWhoseSeriesAreAbsentIsLeftOutWithANote() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (_, _, report) = try await runTaskSystemReport(twoMinuteTaskSystemScenario, in: scratch)
        guard case .object(var members) = Self.syntheticSummary(),
              let seriesIndex = members.firstIndex(where: { $0.0 == "series" }),
              case .object(var series) = members[seriesIndex].1,
              let metricsIndex = series.firstIndex(where: { $0.0 == "metrics" }),
              case .object(let metrics) = series[metricsIndex].1 else { Issue.record("bad fixture"); return }
        let nothing = JSONValue.object([("mean", .array(Array(repeating: .null, count: 4))), ("ci95", .array(Array(repeating: .null, count: 4))),
                                        ("replications", .array([.array(Array(repeating: .null, count: 4))]))])
        series[metricsIndex].1 = .object(metrics.filter { !$0.0.hasPrefix("queue.") && $0.0 != "jobs.workers" && $0.0 != "cost.total" }.map { name, value in
            // No CDN and no database CPU measured: series of nothing but nulls.
            name == "cdn.hit" ? (name, .object([("value", nothing)]))
                : name.hasSuffix("cpu.utilization") ? (name, .object([("value", nothing)])) : (name, value)
        })
        members[seriesIndex].1 = .object(series)
        let html = TaskSystemHTML(report: report, summary: .object(members)).text
        #expect(!html.contains("data-chart=\"queues\"") && !html.contains("data-chart=\"cost\""))
        #expect(html.contains("<li class=\"omitted\" data-chart-omitted=\"queues\"><strong>Job queue depth per queue and workers</strong>: left out: this run has no series `jobs.workers`, `queue.depth` (see docs/metrics.md)</li>"))
        #expect(html.contains("data-chart-omitted=\"cost\""))
        #expect(html.contains("<li class=\"omitted\" data-chart-omitted=\"cpu\"><strong>CPU utilisation per tier</strong>: left out: the series `api.cpu.utilization`, `db.primary.cpu.utilization`, `db.replica.cpu.utilization` measured nothing in any window of this run</li>"))
        // The caches chart draws its three measured layers and leaves the empty CDN line out.
        let caches = try #require(html.components(separatedBy: "data-chart=\"caches\"").dropFirst().first?.components(separatedBy: "</figure>").first)
        #expect(caches.components(separatedBy: "<path class=\"series").count - 1 == 3 && !caches.contains("CDN edge"))
        #expect(html.contains("data-chart=\"latency\""))
    }
}
