// TaskSystemMarkdown.swift — report.md of a task-system run, for a pull-request comment.

import Scenarios
import Sim
import TaskSystem

// MARK: - report.md

/// `report.md` of a task-system run: the verdicts first (value, threshold, pass/fail, margin),
/// then the key figures with their units, a compact table per section of the metric registry
/// (``MetricDeclaration/Section``: API tier, CDN, database, pools, caches, jobs, users, cost),
/// latency per endpoint, the
/// database tier's events and the invariants.
struct TaskSystemMarkdown {
    let report: TaskSystemReport
    var units = MetricUnits.taskSystem

    /// Summary members shown under "Key figures", in this order, when present.
    static let keyFigures: [(member: String, label: String)] = [
        ("users.concurrent.max", "users active at the peak"),
        ("api.requests", "API requests"),
        ("api.throughput", "API throughput, mean"),
        ("api.throughput.max", "API throughput, busiest minute"),
        ("api.latency.p50", "latency p50"),
        ("api.latency.p95", "latency p95"),
        ("api.latency.p99", "latency p99"),
        ("api.error_rate", "error rate"),
        ("cache.hit_rate", "cache hit rate (L1 + L2)"),
        ("db.qps", "database queries, mean"),
        ("db.qps.max", "database queries, busiest minute"),
        ("api.instances.max", "API instances at most"),
        ("queue.depth.max", "deepest job queue"),
        ("cost.total", "cost of the run"),
    ]

    var text: String {
        let configuration = report.scenario.configuration
        var out = "# \(configuration.name)\n\n"
        out += "**Verdict: \(verdictLine)**\n\n"
        out += VerdictText.markdownTable(report.verdicts, units: units)
        let seconds = SimClock.seconds(configuration.duration)
        out += "Scenario `\(report.scenario.sourcePath)`"
        if let defaults = report.scenario.defaults {
            out += " (with the defaults file `\(defaults.path)`)"
        }
        out += ", seed \(configuration.seed), "
        out += "\(Format.count(configuration.replications)) replication(s) of \(Format.value(seconds, .duration)) "
        out += "simulated after a warm-up of \(Format.value(SimClock.seconds(configuration.warmup), .duration)). "
        out += "Figures are means across replications ± the Student-t 95 % half-width. Replay: "
        out += "`simrun run \(report.scenario.sourcePath) --seed \(configuration.seed) --replications \(configuration.replications)`\n\n"
        out += keyFiguresSection
        for section in MetricDeclaration.Section.allCases where section != .endpoints {
            out += tierSection(section)
        }
        out += endpointSection
        out += databaseEventsSection
        out += invariantsSection
        return out
    }

    // MARK: Sections

    private var verdictLine: String {
        let failed = report.verdicts.filter { !$0.passed }.count
        if !report.sound { return "invariant broken" }
        if report.verdicts.isEmpty { return "no KPIs" }
        return failed == 0 ? "all \(report.verdicts.count) KPIs pass"
            : "\(failed) of \(report.verdicts.count) KPIs failed"
    }

    private func estimate(_ member: String) -> Estimate? {
        report.metrics.first { $0.name == member }?.estimate
    }

    private func formatted(_ member: String) -> String {
        guard let estimate = estimate(member) else { return Format.missing }
        return Format.estimate(estimate, units.unit(forKey: member))
    }

    private var keyFiguresSection: String {
        let rows = Self.keyFigures.filter { estimate($0.member) != nil }
        guard !rows.isEmpty else { return "" }
        var out = "## Key figures\n\n| figure | value |\n|---|---:|\n"
        for row in rows { out += "| \(row.label) | \(formatted(row.member)) |\n" }
        return out + "\n"
    }

    /// One section of the metric registry (``MetricDeclaration/Section``): its declared
    /// metrics' summary figures, in declaration order.
    private func tierSection(_ section: MetricDeclaration.Section) -> String {
        let title = section.rawValue
        let names = TaskSystemMetrics.declarations.filter { $0.section == section }.flatMap(\.summaryNames)
        let rows = names.compactMap { name in report.metrics.first { $0.name == name } }
        guard !rows.isEmpty else { return "" }
        var out = "## \(title)\n\n"
        if rows.allSatisfy({ !($0.estimate.mean.isFinite && $0.estimate.mean != 0) }) {
            return out + "Nothing measured (every figure is zero or missing).\n\n"
        }
        out += "| metric | value |\n|---|---:|\n"
        for row in rows { out += "| `\(row.name)` | \(Format.estimate(row.estimate, units.unit(forKey: row.name))) |\n" }
        return out + "\n"
    }

    private var endpointSection: String {
        var out = "## Latency per endpoint\n\n| endpoint | requests | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|\n"
        for endpoint in Endpoint.allCases {
            let stem = "api.\(endpoint.rawValue)."
            out += "| \(endpoint.rawValue) | \(formatted(stem + "requests")) | \(formatted(stem + "latency.p50")) | "
            out += "\(formatted(stem + "latency.p95")) | \(formatted(stem + "latency.p99")) |\n"
        }
        return out + "\n"
    }

    private var databaseEventsSection: String {
        guard let first = report.results.first, report.results.contains(where: { !$0.databaseEvents.isEmpty }) else { return "" }
        var out = "## Database tier events (replication 1)\n\n"
        out += "Primary at the end: `\(first.finalPrimaryClass)`; replicas: \(first.finalReplicas.count)\n\n"
        out += "| at (simulated) | event | detail |\n|---:|---|---|\n"
        for event in first.databaseEvents {
            out += "| \(Format.clock(SimClock.seconds(event.time))) | \(event.kind.rawValue) | \(event.detail) |\n"
        }
        return out + "\n"
    }

    private var invariantsSection: String {
        var out = "## Invariants\n\n"
        for (index, invariant) in report.invariants.enumerated() {
            let accepted = report.accepts(TaskSystemReport.identifier(at: index))
            out += "- \(invariant.held ? "held" : accepted ? "**accepted loss**" : "**BROKEN**"): \(invariant.name)"
            out += invariant.violations > 0 ? " (\(Format.count(invariant.violations)) violations)\n" : "\n"
        }
        for text in report.brokenInvariants { out += "\nBroken: \(text)\n" }
        for text in report.acceptedLosses { out += "\nDeclared loss: \(text)\n" }
        return out
    }
}
