// CompareText.swift — a comparison as a terminal table and as compare.md.

import Foundation

// MARK: - Text of a comparison

extension RunComparison {
    /// The display unit of a summary key.
    private func unit(_ key: String) -> DisplayUnit { MetricUnits.taskSystem.unit(forKey: key) }

    /// The cells of a row: label, A, B, difference (with the relative change), significance.
    private func cells(_ row: Row, label: String) -> [String] {
        let unit = unit(row.key)
        let valueA = row.a.map { Format.estimate($0.mean, halfWidth: $0.ci95, unit) } ?? Format.missing
        let valueB = row.b.map { Format.estimate($0.mean, halfWidth: $0.ci95, unit) } ?? Format.missing
        var difference = row.difference.isNaN ? Format.missing : Format.difference(row.difference, unit)
        if let meanA = row.a?.mean, meanA != 0, meanA.isFinite, row.difference.isFinite, row.difference != 0 {
            difference += " (" + Format.difference(row.difference / abs(meanA), .fraction).replacingOccurrences(of: " pp", with: " %") + ")"
        }
        return [label, valueA, valueB, difference, significance(row)]
    }

    /// `yes (p = 0.0037)`, `no (p = 0.41)`, `– (1 replication)`.
    private func significance(_ row: Row) -> String {
        guard let test = row.test else {
            return a.replications < 2 || b.replications < 2 ? "– (1 replication)" : "– (no value)"
        }
        let p = test.pValue < 0.0001 ? "p < 0.0001" : "p = " + DecimalText.significant(test.pValue, 2)
        return (test.isSignificant(at: alpha) ? "yes" : "no") + " (\(p))"
    }

    private var header: String {
        "A: \(a.name) (seed \(a.seed), \(a.replications) replication(s)) in \(a.folder.path)\n"
            + "B: \(b.name) (seed \(b.seed), \(b.replications) replication(s)) in \(b.folder.path)\n"
    }

    private var note: String {
        "Differences are B − A (relative to A). Significant: Welch's two-sided t-test on the replications at "
            + "\(DecimalText.significant(alpha * 100, 2)) %; standard deviations recovered from each figure's 95 % half-width. "
            + "With many figures, about 1 in 20 unchanged ones shows as significant by chance."
    }

    private func kpiLabel(_ row: Row) -> String {
        guard let passed = row.passed else { return row.label + (row.a == nil ? " (B only)" : " (A only)") }
        func word(_ value: Bool) -> String { value ? "pass" : "FAIL" }
        return "\(row.label) [\(word(passed.a)) → \(word(passed.b))]"
    }

    // MARK: Markdown

    /// `compare.md`: the KPIs, then every figure both runs hold.
    public var markdown: String {
        var out = "# \(a.name) vs \(b.name)\n\n"
        out += header.split(separator: "\n").map { "- " + $0 }.joined(separator: "\n") + "\n\n" + note + "\n\n"
        out += "**\(significantFigures.count) of \(figures.count) figures differ significantly.**\n\n"
        let columns = ["", "A", "B", "B − A", "significant"]
        if !kpis.isEmpty {
            out += "## KPIs\n\n" + Self.markdownTable(["KPI [A → B]"] + columns.dropFirst(), kpis.map { cells($0, label: "`\(kpiLabel($0))`") })
        }
        out += "## Figures\n\n" + Self.markdownTable(["figure"] + columns.dropFirst(), figures.map { cells($0, label: "`\($0.label)`") })
        if !onlyInA.isEmpty { out += "Only in A: " + onlyInA.map { "`\($0)`" }.joined(separator: ", ") + "\n\n" }
        if !onlyInB.isEmpty { out += "Only in B: " + onlyInB.map { "`\($0)`" }.joined(separator: ", ") + "\n\n" }
        return out
    }

    private static func markdownTable(_ header: [String], _ rows: [[String]]) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n|---|---:|---:|---:|---|\n"
        for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }

    // MARK: Terminal

    /// The terminal table: the KPIs and the figures that differ significantly.
    public var terminal: String {
        var out = header + "\n"
        let columns = ["B − A", "significant"]
        if !kpis.isEmpty {
            out += Self.aligned([["KPI [A → B]", "A", "B"] + columns] + kpis.map { cells($0, label: kpiLabel($0)) }) + "\n"
        }
        let significant = significantFigures
        out += "\(significant.count) of \(figures.count) figures differ significantly"
        out += significant.isEmpty ? ".\n" : ":\n" + Self.aligned([["figure", "A", "B"] + columns] + significant.map { cells($0, label: $0.label) })
        return out + "\n" + note + "\n"
    }

    /// Columns padded to their widest cell (counted in characters), the label left-aligned,
    /// the figures right-aligned.
    private static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 || index == row.count - 1 ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
