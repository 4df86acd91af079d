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
        for tier in comparisons {
            var cells = ["\(Format.count(tier.users)) (\(Format.count(tier.activeUsers)))"]
            cells.append(tier.chosen ?? "none found")
            cells.append(tier.chosenCostPerHour.map { Format.value($0, .dollars) } ?? Format.missing)
            cells.append(tier.seedTopology)
            cells.append(tier.seedHolds.map { $0 ? "yes" : "**no**: " + tier.seedFailures.joined(separator: "; ") }
                         ?? "not run (other family)")
            cells.append(tier.seedCostPerHour.map { Format.value($0, .dollars) } ?? Format.missing)
            cells.append(Format.count(tier.claimedCapacityQPS) + " QPS")
            cells.append(tier.measuredQPS.map { Format.count(Int($0.rounded())) + " QPS" } ?? Format.missing)
            cells.append(tier.instanceTypesText)
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n"
        for tier in tiers {
            out += "## \(Format.count(tier.space.users)) users\n\n"
            if !tier.outcome.unattainable.isEmpty {
                out += tier.unattainableText(code: { "`\($0)`" }, text: { $0 }) + "\n\n"
            }
            out += "| # | configuration | replications | cost/hour | KPIs | held back by |\n|---|---|---|---|---|---|\n"
            for (index, evaluation) in tier.outcome.evaluated.enumerated() {
                out += "| \(index + 1) | \(tier.space.describe(evaluation.configuration)) | \(evaluation.replications) | "
                out += "\(Format.value(evaluation.costPerHour, .dollars)) | \(evaluation.kpiSummary) | \(evaluation.heldBackBy) |\n"
            }
            out += "\n"
        }
        if let transitions { out += transitions.markdown }
        return out
    }
}
