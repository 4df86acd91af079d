// PlanResult+Markdown.swift — `plan.md`: the tier table beside the seed's tables, then how each
// tier was searched.

import Scenarios

// MARK: - plan.md

extension PlanResult {
    public var markdown: String {
        var out = "# Capacity plan for \(scenario.configuration.name)\n\n"
        out += "`\(path)` at a constant load per tier (\(duration) runs, \(warmup) warm-up; a configuration counts "
        out += "when every attainable KPI passes with its 95 % interval over \(confirmationReplications) replications on the passing side). "
        out += "Prices: \(catalog.provider) \(catalog.region), \(catalog.pricesAsOf).\n\n"
        out += "| users (active) | cheapest passing configuration | cost/hour | seed's Scaling Strategy | holds? | seed cost/hour | claimed capacity | DB QPS at that load | RDS Instance Types says |\n"
        out += "|---|---|---|---|---|---|---|---|---|\n"
        for tier in tiers {
            let row = SeedTables.strategyRow(for: tier.space.users)
            var cells = ["\(Format.count(tier.space.users)) (\(Format.count(tier.space.activeUsers)))"]
            if let chosen = tier.outcome.chosen {
                cells.append(tier.space.describe(chosen.configuration))
                cells.append(Format.value(chosen.costPerHour, .dollars))
            } else {
                cells += ["none found", Format.missing]
            }
            cells.append("\(row.tier.primary.name) + \(row.tier.replicas)× \(row.tier.replica.name)")
            if let seed = tier.seed {
                let holds = seed.verdicts.allSatisfy { $0.confident || tier.outcome.unattainable.contains($0.expression) }
                cells.append(holds ? "yes" : "**no**: " + seed.verdicts.filter { !$0.passed }.map(\.expression).joined(separator: "; "))
                cells.append(Format.value(seed.costPerHour, .dollars))
                cells.append(Format.count(row.capacityQPS) + " QPS")
                cells.append(seed.figures.member("db.qps")?.member("mean")?.number.map { Format.count(Int($0.rounded())) + " QPS" } ?? Format.missing)
            } else {
                cells += ["not run (other family)", Format.missing, Format.count(row.capacityQPS) + " QPS", Format.missing]
            }
            let named = SeedTables.instanceClassName(for: tier.space.users)
            let chosenPrimary = tier.outcome.chosen.map { tier.space.classes[$0.configuration.primary].name }
            cells.append(named + (chosenPrimary.map { $0 == named ? " (same primary)" : " (plan: \($0))" } ?? ""))
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n"
        for tier in tiers {
            out += "## \(Format.count(tier.space.users)) users\n\n"
            if !tier.outcome.unattainable.isEmpty {
                out += "Not attainable within the searched space (failed even at \(tier.space.describe(tier.space.upperBound))): "
                out += tier.outcome.unattainable.map { "`\($0)`" }.joined(separator: ", ") + ". The plan sizes for the other KPIs.\n\n"
            }
            out += "| # | configuration | replications | cost/hour | KPIs | held back by |\n|---|---|---|---|---|---|\n"
            for (index, evaluation) in tier.outcome.evaluated.enumerated() {
                let failed = evaluation.verdicts.filter { !$0.passed }.map(\.expression)
                let kpis = failed.isEmpty ? (evaluation.verdicts.allSatisfy(\.confident) ? "pass (95 %)" : "pass") : "fail: " + failed.joined(separator: "; ")
                var signals: [String] = []  // what the search reads when a configuration fails
                if !failed.isEmpty {
                    if evaluation.apiPinned { signals.append("API limit") }
                    if evaluation.databaseBound { signals.append("database") }
                    if evaluation.queueBound { signals.append("queues") }
                }
                out += "| \(index + 1) | \(tier.space.describe(evaluation.configuration)) | \(evaluation.replications) | "
                out += "\(Format.value(evaluation.costPerHour, .dollars)) | \(kpis) | \(signals.joined(separator: ", ")) |\n"
            }
            out += "\n"
        }
        if let transitions { out += transitions.markdown }
        return out
    }
}
