// TaskSystemHTML.swift — report.html of a task-system run: one self-contained page.

import Scenarios
import Sim
import TaskSystem

// MARK: - report.html

/// `report.html` of a task-system run: the verdicts (value, threshold, pass/fail, margin; a
/// windowed KPI's worst window), the scenario's question (its header comment), configuration
/// and replay command, then charts over simulated time (``ReportCharts``), the key figures, the
/// event timeline as a table and the scenario file.
///
/// One file with inline CSS (``ReportStyle``) and inline SVG (``ChartSVG``): no script, no font,
/// image or style sheet from anywhere else, so it reads the same offline, with JavaScript off
/// and on paper. Every string from the scenario is escaped (``HTMLText``).
struct TaskSystemHTML {
    let report: TaskSystemReport
    /// `summary.json`'s `series` and `events`, read back: what the charts and the table show.
    let series: RunSeries
    let timeline: RunTimeline
    var units = MetricUnits.taskSystem

    /// The page of `report`, charting the series and timeline its `summary.json` carries.
    init(report: TaskSystemReport) {
        self.init(report: report, summary: .object([("series", report.seriesJSON), ("events", report.eventsJSON)]))
    }

    /// The page of `report` charting the `series` and `events` of `summary` instead (tests give
    /// a synthetic summary; a series missing from it leaves its chart out with a note).
    init(report: TaskSystemReport, summary: JSONValue) {
        self.report = report
        series = RunSeries(json: summary.member("series"))
        timeline = RunTimeline(json: summary.member("events"))
    }

    /// The charts, in the page's order.
    var charts: [ChartSection] {
        let configuration = report.scenario.configuration
        return ReportCharts(series: series, timeline: timeline, verdicts: report.verdicts,
                            duration: SimClock.seconds(configuration.duration),
                            warmup: SimClock.seconds(configuration.warmup)).sections
    }

    /// The whole page.
    var text: String {
        let name = HTMLText.escape(report.scenario.configuration.name)
        var body = "<header>\n<h1>\(name)</h1>\n<p class=\"subtitle\">simrun capacity report of a task-system scenario</p>\n</header>\n"
        body += verdictSection
        body += questionSection
        body += configurationSection
        body += chartsSection
        body += keyFiguresSection
        body += timelineSection
        body += scenarioFileSection
        return SelfContainedPage.document(title: "\(name): simrun report", body: body)
    }

    // MARK: Verdict

    private var verdictSection: String {
        let failed = report.verdicts.filter { !$0.passed }.count
        let (words, passed): (String, Bool) =
            !report.sound ? ("An invariant broke: the results are not to be trusted", false)
            : report.verdicts.isEmpty ? ("No KPIs to judge", true)
            : failed == 0 ? ("All \(report.verdicts.count) KPIs pass", true)
            : ("\(failed) of \(report.verdicts.count) KPIs failed", false)
        var out = "<section id=\"verdict\">\n<h2>Verdict</h2>\n"
        out += "<p class=\"verdict \(passed ? "pass" : "fail")\">\(HTMLText.escape(words))</p>\n"
        if !report.verdicts.isEmpty {
            out += "<table class=\"kpis\">\n<thead><tr><th>KPI</th><th class=\"num\">value</th><th class=\"num\">threshold</th>"
            out += "<th>verdict</th><th class=\"num\">margin</th><th>worst window</th></tr></thead>\n<tbody>\n"
            for verdict in report.verdicts {
                let text = VerdictText(verdict, units: units)
                out += "<tr><td><code>\(HTMLText.escape(verdict.kpi.expression))</code></td>"
                out += "<td class=\"num\">\(HTMLText.escape(Format.value(verdict.value, text.unit)))</td>"
                out += "<td class=\"num\">\(HTMLText.escape(text.threshold))</td>"
                out += "<td class=\"\(verdict.passed ? "pass" : "fail")\">\(verdict.passed ? "pass" : "FAIL")</td>"
                out += "<td class=\"num\">\(HTMLText.escape(text.margin))</td>"
                out += "<td>\(HTMLText.escape(worstWindow(verdict)))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "<p class=\"note\">Values are means across replications; a margin is the headroom to the threshold "
        out += "(negative: by how much it failed). Invariants: "
        out += report.invariants.map { invariant in
            HTMLText.escape(invariant.name) + (invariant.held ? " held" : " <strong>BROKEN</strong> (\(Format.count(invariant.violations)) violations)")
        }.joined(separator: "; ")
        return out + ".</p>\n</section>\n"
    }

    /// A windowed KPI's worst window and breaches (`from 8:00 to 9:00; 3 of 30 windows breach`);
    /// `whole run` for a KPI judged on the whole-run figure.
    private func worstWindow(_ verdict: KPIVerdict) -> String {
        guard let windows = verdict.windows else { return "whole run" }
        let width = SimClock.seconds(report.scenario.configuration.seriesWindow)
        let span = windows.worst.map { "from \(Format.clock($0.start)) to \(Format.clock($0.start + width)); " } ?? ""
        return "\(span)\(Format.count(windows.breaches)) of \(Format.count(windows.measuredWindows)) windows breach"
    }

    // MARK: Question and configuration

    private var questionSection: String {
        let question = report.scenario.question
        var out = "<section id=\"question\">\n<h2>The question</h2>\n"
        if question.isEmpty {
            out += "<p class=\"note\">The scenario file has no header comment stating its question.</p>\n"
        } else {
            // The comment's lines are prose wrapped for an editor: rewrapped here, with a blank
            // comment line starting a new paragraph.
            let paragraphs = question.components(separatedBy: "\n\n").map { paragraph in
                paragraph.split(separator: "\n").map { $0.trimmingSpaces }.joined(separator: " ")
            }.filter { !$0.isEmpty }
            out += "<blockquote class=\"question\">\n"
            out += paragraphs.map { "<p>\(HTMLText.escape($0))</p>\n" }.joined() + "</blockquote>\n"
        }
        return out + "</section>\n"
    }

    private var configurationSection: String {
        let configuration = report.scenario.configuration
        var rows: [(String, String)] = [
            ("scenario file", report.scenario.sourcePath),
        ]
        if let defaults = report.scenario.defaults {
            rows.append(("defaults file", "\(defaults.path) (\(defaults.name))"))
        }
        rows += [
            ("seed", String(configuration.seed)),
            ("replications", Format.count(configuration.replications)),
            ("simulated time", Format.value(SimClock.seconds(configuration.duration), .duration)),
            ("warm-up (left out of whole-run figures)", Format.value(SimClock.seconds(configuration.warmup), .duration)),
            ("chart window", Format.value(SimClock.seconds(configuration.seriesWindow), .duration)),
        ]
        for setting in report.scenario.settings {
            rows.append(("--param \(setting.keyPath)", setting.value + " (replaces the file's value)"))
        }
        var out = "<section id=\"configuration\">\n<h2>Configuration</h2>\n<table class=\"configuration\">\n<tbody>\n"
        for (label, value) in rows {
            out += "<tr><th>\(HTMLText.escape(label))</th><td>\(HTMLText.escape(value))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<p>Replay this run exactly (same seed, same figures):</p>\n"
        out += "<pre class=\"replay\"><code>\(HTMLText.escape(RunReport.taskSystem(report).replayCommand))</code></pre>\n"
        if !report.scenario.sourceText.isEmpty {
            out += report.scenario.defaults == nil
                ? "<p class=\"note\">The scenario file is reproduced at the end of this page.</p>\n"
                : "<p class=\"note\">The scenario file and the defaults file it names are reproduced at the end of this page.</p>\n"
        }
        return out + "</section>\n"
    }

    /// The scenario file as loaded, at the end of the page (keys it omits keep their defaults).
    private var scenarioFileSection: String {
        guard !report.scenario.sourceText.isEmpty else { return "" }
        var out = "<section id=\"scenario-file\">\n<h2>The scenario file</h2>\n"
        out += "<p class=\"note\">\(HTMLText.escape(report.scenario.sourcePath)) as this run read it; "
        out += "the keys it omits keep the defaults of docs/scenarios.md"
        if !report.scenario.settings.isEmpty {
            out += ", and the --param settings listed under Configuration replace the values they name"
        }
        out += ".</p>\n"
        out += "<pre class=\"scenario\">\(HTMLText.escape(report.scenario.sourceText))</pre>\n"
        if let defaults = report.scenario.defaults {
            out += "<p class=\"note\">The defaults file it names, \(HTMLText.escape(defaults.path)): "
            out += "the keys the scenario leaves out come from here (sections merge key by key; a value "
            out += "inside a section the scenario writes replaces this file's whole).</p>\n"
            out += "<pre class=\"scenario\">\(HTMLText.escape(defaults.text))</pre>\n"
        }
        return out + "</section>\n"
    }

    private var keyFiguresSection: String {
        let rows = TaskSystemMarkdown.keyFigures.compactMap { figure in
            report.estimate(figure.member).map { (figure.label, Format.estimate($0, units.unit(forKey: figure.member))) }
        }
        guard !rows.isEmpty else { return "" }
        var out = "<section id=\"figures\">\n<h2>Key figures</h2>\n<table class=\"figures\">\n<tbody>\n"
        for (label, value) in rows {
            out += "<tr><th>\(HTMLText.escape(label))</th><td class=\"num\">\(HTMLText.escape(value))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"note\">Means across replications ± the Student-t 95 % half-width; "
        out += "every figure is in report.md and summary.json.</p>\n</section>\n"
        return out
    }

    // MARK: Charts

    private var chartsSection: String {
        var out = "<section id=\"charts\">\n<h2>Over simulated time</h2>\n"
        out += "<p class=\"note\">Each point is one window of \(Format.value(series.windowSeconds, .duration))"
        out += series.replicationCount > 1 ? ", the mean of \(series.replicationCount) replications with its 95 % band. " : " of the single replication. "
        out += "Grey: the warm-up; red: windows breaching a KPI; amber: fault windows (an instance crashed until its replacement served).</p>\n"
        out += "<div class=\"charts\">\n"
        var omitted: [String] = []
        for section in charts {
            switch section {
            case .chart(let chart):
                out += "<figure class=\"chart\" data-chart=\"\(chart.id)\">\n<figcaption>\(HTMLText.escape(chart.title))</figcaption>\n"
                out += ChartSVG(chart: chart).svg + "\n</figure>\n"
            case .omitted(let id, let title, let note):
                omitted.append("<li class=\"omitted\" data-chart-omitted=\"\(id)\"><strong>\(HTMLText.escape(title))</strong>: \(HTMLText.escape(note))</li>\n")
            }
        }
        out += "</div>\n"
        if !omitted.isEmpty { out += "<ul class=\"omitted\">\n" + omitted.joined() + "</ul>\n" }
        return out + "</section>\n"
    }

    // MARK: Timeline

    private var timelineSection: String {
        var out = "<section id=\"timeline\">\n<h2>Event timeline (replication 1)</h2>\n"
        let counts = timeline.counts
        if let first = counts.first {
            out += "<p class=\"note\">\(Format.count(first.events)) event(s)"
            if first.dropped > 0 { out += ", \(Format.count(first.dropped)) more dropped by the timeline's cap" }
            if counts.count > 1 {
                out += "; the other replications: " + counts.dropFirst().map { Format.count($0.events) }.joined(separator: ", ")
            }
            out += ".</p>\n"
        }
        guard !timeline.events.isEmpty else { return out + "<p class=\"note\">Nothing happened worth recording.</p>\n</section>\n" }
        out += "<table class=\"timeline\">\n<thead><tr><th class=\"num\">at</th><th>component</th><th>event</th>"
        out += "<th>change</th><th>why</th></tr></thead>\n<tbody>\n"
        for event in timeline.events.prefix(Self.timelineRows) {
            let change = event.from.isEmpty && event.to.isEmpty ? "" : "\(event.from) → \(event.to)"
            out += "<tr><td class=\"num\">\(Format.clock(event.time))</td><td>\(HTMLText.escape(event.component))</td>"
            out += "<td>\(HTMLText.escape(event.kind))</td><td>\(HTMLText.escape(change))</td>"
            out += "<td>\(HTMLText.escape(event.reason))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if timeline.events.count > Self.timelineRows {
            out += "<p class=\"note\">The first \(Format.count(Self.timelineRows)) events are shown; all \(Format.count(timeline.events.count)) "
            out += "are in summary.json (events.replication_1).</p>\n"
        }
        return out + "</section>\n"
    }

    /// The most timeline rows the page shows (a run records up to 10,000 per replication).
    static let timelineRows = 1_000
}

extension TaskSystemReport {
    /// `report.html`: verdicts, question, configuration, charts over simulated time and the
    /// event timeline, self-contained (see ``TaskSystemHTML``).
    public var html: String { TaskSystemHTML(report: self).text }
}
