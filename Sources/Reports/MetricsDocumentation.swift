import TaskSystem

// MARK: - The metric table of docs/metrics.md, generated

/// The task-system metric table of `docs/metrics.md`, generated from the registry
/// (``TaskSystemMetrics/declarations``) so the documentation cannot drift from what a run writes.
/// `MetricsDocumentationTests` fails when the file's table differs, and rewrites it when run with
/// `SIMRUN_WRITE_DOCS=1`.
public enum MetricsDocumentation {
    /// The line before the generated table.
    public static let beginMarker = "<!-- BEGIN generated: task-system metric table (TaskSystemMetrics.declarations) -->"
    /// The line after it.
    public static let endMarker = "<!-- END generated -->"

    /// One row per declared metric, in `summary.json` order.
    public static var taskSystemTable: String {
        var out = "| metric | members of `metrics` | kind | unit | measured | meaning |\n|---|---|---|---|---|---|\n"
        for declaration in TaskSystemMetrics.declarations {
            let members = declaration.summaryNames.map { "`\($0)`" }.joined(separator: ", ")
            let defaultNote = declaration.statistics.count > 1 ? " (KPI default: `\(declaration.defaultStatistic.rawValue)`)" : ""
            out += "| `\(declaration.name)` | \(members)\(defaultNote) | \(declaration.kind.rawValue) | "
            out += "\(declaration.unit.rawValue) | \(declaration.window.rawValue) | \(declaration.description) |\n"
        }
        return out
    }

    /// `document` with the text between the markers replaced by the current table; `nil` when
    /// a marker is missing.
    public static func updating(_ document: String) -> String? {
        guard let begin = document.range(of: beginMarker + "\n"),
              let end = document.range(of: endMarker, range: begin.upperBound..<document.endIndex) else { return nil }
        return String(document[..<begin.upperBound]) + taskSystemTable + String(document[end.lowerBound...])
    }
}
