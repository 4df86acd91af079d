// PlanHTML.swift — plan.html: the plan's tier table beside the seed's tables, the cost per tier
// as a chart, each seed claim marked held or not, and every evaluation; one self-contained page.

import Scenarios

// MARK: - plan.html

extension PlanResult {
    /// `plan.html`: the same content as `plan.md`, in the frame of `report.html`
    /// (``SelfContainedPage``): inline CSS and SVG, no script, nothing loaded from elsewhere, every
    /// string from the scenario escaped.
    public var html: String {
        let name = HTMLText.escape(scenario.configuration.name)
        var body = "<header>\n<h1>Capacity plan for \(name)</h1>\n"
        body += "<p class=\"subtitle\">simrun plan: the cheapest configuration per tier of users whose KPIs pass with 95 % confidence</p>\n</header>\n"
        body += verdictSection + tierSection + costSection + claimsSection + evaluationsSection
        if let transitions { body += transitionsSection(transitions) }
        return SelfContainedPage.document(title: "\(name): simrun capacity plan", body: body)
    }

    // MARK: Sections

    private var verdictSection: String {
        let passed = tiers.filter(\.outcome.passed).count
        let short = tiers.filter { !$0.outcome.unattainable.isEmpty }.map { Format.count($0.space.users) }
        let words = exitCode == 3 ? "An invariant broke in some evaluation: the results are not to be trusted"
            : exitCode == 0 ? "Every tier has a passing configuration"
            : "\(passed) of \(tiers.count) tiers have a configuration passing every KPI"
                + (short.isEmpty ? "" : "; some KPIs are unattainable at " + short.joined(separator: ", ")
                    + " users (the best configuration the space offers is shown)")
        var out = "<section id=\"verdict\">\n<h2>Verdict</h2>\n"
        out += "<p class=\"verdict \(exitCode == 0 ? "pass" : "fail")\">\(HTMLText.escape(words))</p>\n"
        out += "<p>\(code(path)) at a constant load per tier (\(HTMLText.escape(duration)) runs after \(HTMLText.escape(warmup)) of warm-up); "
        out += "a configuration counts when every attainable KPI passes with its 95 % interval over \(confirmationReplications) "
        out += "replications on the passing side. Prices: \(HTMLText.escape("\(catalog.provider) \(catalog.region), \(catalog.pricesAsOf)")).</p>\n"
        return out + "</section>\n"
    }

    private var tierSection: String {
        var out = "<section id=\"tiers\">\n<h2>Tiers against the seed's tables</h2>\n<table class=\"tiers\">\n<thead><tr>"
        for header in ["users (active)", "cheapest passing configuration", "cost/hour", "seed's Scaling Strategy", "holds?",
                       "seed cost/hour", "claimed capacity", "DB QPS at that load", "RDS Instance Types says"] {
            out += "<th>\(header)</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for tier in comparisons {
            out += "<tr><td class=\"num\">\(Format.count(tier.users)) (\(Format.count(tier.activeUsers)))</td>"
            out += "<td>\(HTMLText.escape(tier.chosen ?? "none found"))</td>"
            out += "<td class=\"num\">\(tier.chosenCostPerHour.map { Format.value($0, .dollars) } ?? Format.missing)</td>"
            out += "<td>\(HTMLText.escape(tier.seedTopology))</td>"
            if let holds = tier.seedHolds {
                out += holds ? "<td class=\"pass\">yes</td>"
                    : "<td class=\"fail\">no: \(HTMLText.escape(tier.seedFailures.joined(separator: "; ")))</td>"
            } else {
                out += "<td>not run (other family)</td>"
            }
            out += "<td class=\"num\">\(tier.seedCostPerHour.map { Format.value($0, .dollars) } ?? Format.missing)</td>"
            out += "<td class=\"num\">\(Format.count(tier.claimedCapacityQPS)) QPS</td>"
            out += "<td class=\"num\">\(tier.measuredQPS.map { Format.count(Int($0.rounded())) + " QPS" } ?? Format.missing)</td>"
            out += "<td>\(HTMLText.escape(tier.instanceTypesText))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    private var costSection: String {
        "<section id=\"cost\">\n<h2>Cost per hour</h2>\n<figure>\n" + PlanCostChart(comparisons: comparisons).svg
            + "<figcaption>The plan's cheapest passing configuration and the seed's Scaling Strategy row, measured "
            + "(<code>cost.total</code> over the simulated hours); a hatched bar failed its KPIs.</figcaption>\n</figure>\n</section>\n"
    }

    /// Each of the seed's claims for each tier, marked held or not.
    private var claimsSection: String {
        var out = "<section id=\"claims\">\n<h2>The seed's claims</h2>\n<table class=\"claims\">\n"
        out += "<thead><tr><th>tier</th><th>claim</th><th>verdict</th><th>evidence</th></tr></thead>\n<tbody>\n"
        for tier in comparisons {
            let users = "\(Format.count(tier.users)) users"
            func row(_ claim: String, _ held: Bool?, _ evidence: String) {
                let verdict = held.map { $0 ? "<td class=\"pass\">holds</td>" : "<td class=\"fail\">does not hold</td>" } ?? "<td>not checked</td>"
                out += "<tr><td>\(users)</td><td>\(HTMLText.escape(claim))</td>\(verdict)<td>\(HTMLText.escape(evidence))</td></tr>\n"
            }
            row("Scaling Strategy \(tier.seedRange): \(tier.seedTopology) meets the KPIs", tier.seedHolds,
                tier.seedHolds == nil ? "its classes are not in the searched family"
                    : tier.seedFailures.isEmpty ? "every attainable KPI passed with 95 % confidence" : "failed: " + tier.seedFailures.joined(separator: "; "))
            row("it is the cheapest configuration that does", tier.seedHolds == true ? tier.seedCheapest : tier.seedHolds.map { _ in false },
                "seed \(tier.seedCostPerHour.map { Format.value($0, .dollars) } ?? Format.missing)/h against the plan's "
                    + "\(tier.chosenCostPerHour.map { Format.value($0, .dollars) } ?? Format.missing)/h (\(tier.chosen ?? "none found"))")
            let measured = tier.measuredQPS
            row("Total Capacity \(Format.count(tier.claimedCapacityQPS)) QPS covers the tier's load",
                measured.map { $0 <= Double(tier.claimedCapacityQPS) },
                measured.map { "the tier's load made \(Format.count(Int($0.rounded()))) QPS on the seed's topology" } ?? "not run")
            row("RDS Instance Types: \(tier.instanceTypesClass) for this range", tier.chosenPrimary.map { $0 == tier.instanceTypesClass },
                tier.chosenPrimary.map { "the plan's primary: \($0)" } ?? "no configuration found")
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    private var evaluationsSection: String {
        var out = "<section id=\"evaluations\">\n<h2>Every evaluation</h2>\n"
        for tier in tiers {
            out += "<details>\n<summary>\(Format.count(tier.space.users)) users: \(tier.outcome.evaluated.count) evaluations</summary>\n"
            if !tier.outcome.unattainable.isEmpty {
                out += "<p>" + tier.unattainableText(code: code, text: HTMLText.escape) + "</p>\n"
            }
            out += "<table>\n<thead><tr><th class=\"num\">#</th><th>configuration</th><th class=\"num\">replications</th>"
            out += "<th class=\"num\">cost/hour</th><th>KPIs</th><th>held back by</th></tr></thead>\n<tbody>\n"
            for (index, evaluation) in tier.outcome.evaluated.enumerated() {
                let passed = evaluation.verdicts.allSatisfy(\.passed)
                out += "<tr><td class=\"num\">\(index + 1)</td><td>\(HTMLText.escape(tier.space.describe(evaluation.configuration)))</td>"
                out += "<td class=\"num\">\(evaluation.replications)</td><td class=\"num\">\(Format.value(evaluation.costPerHour, .dollars))</td>"
                out += "<td class=\"\(passed ? "pass" : "fail")\">\(HTMLText.escape(evaluation.kpiSummary))</td>"
                out += "<td>\(HTMLText.escape(evaluation.heldBackBy))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</details>\n"
        }
        return out + "</section>\n"
    }

    private func transitionsSection(_ study: TransitionStudy) -> String {
        var out = "<section id=\"transitions\">\n<h2>Tier transitions</h2>\n<p>\(HTMLText.escape(TransitionStudy.explanation))</p>\n"
        out += "<table>\n<thead><tr>" + TransitionStudy.tableHeader.map { "<th>\($0)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in study.tableRows {
            out += "<tr>" + row.enumerated().map { index, cell in
                index == 5 ? "<td class=\"\(cell == "yes" ? "pass" : "fail")\">\(cell)</td>" : "<td>\(HTMLText.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>\n<ul>\n" + study.conclusions.map { "<li>\(HTMLText.escape($0))</li>\n" }.joined() + "</ul>\n"
        return out + "</section>\n"
    }

    private func code(_ text: String) -> String { "<code>\(HTMLText.escape(text))</code>" }
}

extension PlanEvaluation {
    /// `pass (95 %)` (every KPI confidently), `pass`, or `fail: ` and the failed KPIs.
    var kpiSummary: String {
        let failed = verdicts.filter { !$0.passed }.map(\.expression)
        if !failed.isEmpty { return "fail: " + failed.joined(separator: "; ") }
        return verdicts.allSatisfy(\.confident) ? "pass (95 %)" : "pass"
    }

    /// The signals the search read when the configuration failed a KPI (empty when it passed).
    var heldBackBy: String {
        verdicts.allSatisfy(\.passed) ? "" : signals.joined(separator: ", ")
    }

    /// What the search read as holding this configuration back (empty when nothing said).
    var signals: [String] {
        var signals: [String] = []
        if apiPinned { signals.append("API limit") }
        if databaseBound { signals.append("database") }
        if queueBound { signals.append("queues") }
        if cacheBound { signals.append("Redis node") }
        return signals
    }
}
