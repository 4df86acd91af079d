// SweepResult+Markdown.swift — `sweep.md`: one table row per point, cheapest passing first named.

import Scenarios

// MARK: - sweep.md

extension SweepResult {
    /// `sweep.md`: what was swept, the cheapest passing point, and a table of every point
    /// (its values, verdict, and the key metrics with their 95 % half-widths).
    public var markdown: String {
        let parameters = header.value(at: "parameters").flatMap(\.array) ?? []
        let keys = parameters.compactMap { $0.value(at: "key")?.text }
        let scenario = header.value(at: "scenario")?.text ?? ""
        let source = header.value(at: "source")?.text ?? ""
        var out = "# Sweep of \(scenario)\n\n"
        out += "`\(source)`, \(pointsTotal) point(s) over \(keys.map { "`\($0)`" }.joined(separator: " × "))"
        if let shard { out += "; shard \(shard) holds \(points.count) of them" }
        out += ".\n\n"
        let passing = points.filter { $0.json.value(at: "passed")?.bool == true }
        out += "**\(passing.count) of \(points.count) point(s) pass every KPI.**"
        if let cheapest = passing.min(by: { cost(of: $0.json) < cost(of: $1.json) }), cost(of: cheapest.json).isFinite {
            out += " Cheapest passing: point \(cheapest.index) (\(settingsText(cheapest.json, keys: keys))), "
                + Format.value(cost(of: cheapest.json), .dollars) + "."
        }
        out += "\n\n"
        let metricKeys = columns()
        out += "| # | " + (keys + ["verdict"] + metricKeys).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: keys.count + metricKeys.count + 2) + "\n"
        for point in points {
            var cells = ["\(point.index)"]
            cells += keys.map { point.json.value(at: "parameters")?.member($0)?.text ?? "" }
            cells.append(verdict(of: point.json))
            for key in metricKeys {
                guard let figure = point.json.value(at: "metrics")?.member(key),
                      let mean = figure.member("mean")?.number else {
                    cells.append(Format.missing)
                    continue
                }
                cells.append(Format.estimate(mean, halfWidth: figure.member("ci95")?.number,
                                             MetricUnits.taskSystem.unit(forKey: key)))
            }
            out += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// The metric columns: every metric any point reports, in first-seen order.
    private func columns() -> [String] {
        var keys: [String] = []
        for point in points {
            guard case .object(let metrics)? = point.json.value(at: "metrics") else { continue }
            for (key, _) in metrics where !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    private func cost(of point: JSONValue) -> Double {
        point.value(at: "metrics")?.member("cost.total")?.member("mean")?.number ?? .infinity
    }

    private func settingsText(_ point: JSONValue, keys: [String]) -> String {
        keys.map { "`\($0)` = \(point.value(at: "parameters")?.member($0)?.text ?? "")" }.joined(separator: ", ")
    }

    private func verdict(of point: JSONValue) -> String {
        let kpis = point.value(at: "kpis")?.array ?? []
        let failed = kpis.filter { $0.member("passed")?.bool != true }.count
        let broken = point.value(at: "invariants_broken")?.array?.count ?? 0
        if broken > 0 { return "invariant broken" }
        if kpis.isEmpty { return "no KPIs" }
        return failed == 0 ? "pass (\(kpis.count) KPIs)" : "FAIL (\(failed) of \(kpis.count))"
    }
}
