// KPIReader.swift — the `kpis:` list: each string parsed and checked against a catalogue.

// MARK: - KPIReader

/// Reads a `kpis` list for any scenario kind, given that kind's metric catalogue.
enum KPIReader {
    /// The KPIs in file order (empty when `value` is `nil`); `nil` once a problem was reported.
    /// Problems point at the offending list item. `windowedProblem` says why a windowed KPI
    /// (`… over 1m windows`) reading the given summary key cannot be judged, or `nil` when it
    /// can; without it (a kind with no per-window series) every windowed KPI is refused.
    /// `unmeasuredProblem` says why a KPI reading the given key cannot be judged because the
    /// run will not measure it (a fault's metric without the fault), or `nil`.
    static func read(_ value: YAMLValue?, catalogue: MetricCatalogue,
                     windowedProblem: ((KPI, String) -> String?)? = nil,
                     unmeasuredProblem: ((String) -> String?)? = nil) -> [KPI]? {
        guard let value else { return [] }
        guard let items = value.list() else { return nil }
        var result: [KPI] = []
        var complete = true
        for item in items {
            guard let text = item.string() else {
                complete = false
                continue
            }
            do throws(KPIError) {
                let kpi = try KPI(parsing: text)
                let key = try catalogue.resolve(kpi)
                if let problem = unmeasuredProblem?(key) { throw KPIError(message: problem) }
                if kpi.window != nil {
                    guard let windowedProblem else { throw KPIError(message: KPI.windowedNeedsSeries) }
                    if let problem = windowedProblem(kpi, key) { throw KPIError(message: problem) }
                }
                result.append(kpi)
            } catch {
                let position = error.offset.map { " at character \($0 + 1)" } ?? ""
                item.report("\"\(text)\"\(position): \(error.message)")
                complete = false
            }
        }
        return complete ? result : nil
    }
}
