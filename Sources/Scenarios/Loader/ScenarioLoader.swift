// ScenarioLoader.swift — the entry point: a file path to a validated Scenario, or every problem.

import Foundation

// MARK: - ScenarioLoader

/// Loads scenario files.
///
/// A file is parsed once; `kind` chooses the reader; every problem of the file is collected
/// and thrown together, sorted by line.
public enum ScenarioLoader {
    /// Reads and decodes the file at `path`; `path` is used as given in messages. A folder,
    /// an unreadable or oversized file and bytes that are not UTF-8 are refused by
    /// ``ScenarioFile`` with their own messages.
    public static func load(path: String) throws(ScenarioErrors) -> Scenario {
        try load(yaml: ScenarioFile.text(at: path), path: path)
    }

    /// Decodes `yaml` as if read from `path`.
    public static func load(yaml: String, path: String) throws(ScenarioErrors) -> Scenario {
        let diagnostics = Diagnostics(file: path)
        let scenario = decode(yaml, path: path, diagnostics: diagnostics)
        guard let scenario, !diagnostics.hasErrors else {
            throw diagnostics.collected
        }
        return scenario
    }

    // MARK: Dispatch

    private static func decode(_ yaml: String, path: String, diagnostics: Diagnostics) -> Scenario? {
        guard let root = YAMLDocument.root(of: yaml, diagnostics: diagnostics),
              let map = root.mapping(expected: "a mapping with 'kind', 'name', … at the top level") else {
            return nil
        }
        guard let kind = readKind(map) else {
            return nil
        }
        switch kind {
        case .network:
            return NetworkReader(sourcePath: path).read(map).map(Scenario.network)
        case .taskSystem:
            return TaskSystemReader(sourcePath: path).read(map).map { scenario in
                var scenario = scenario
                scenario.sourceText = yaml
                return .taskSystem(scenario)
            }
        }
    }

    /// `kind`, with a message listing the supported and planned kinds.
    private static func readKind(_ map: YAMLMapping) -> ScenarioKind? {
        guard let value = map.required("kind"), let text = value.string() else { return nil }
        if let kind = ScenarioKind(rawValue: text) { return kind }
        let supported = ScenarioKind.allCases.map(\.rawValue)
        var list = "supported kinds: \(supported.joined(separator: ", "))"
        if !ScenarioKind.planned.isEmpty {
            list += " (\(ScenarioKind.planned.joined(separator: ", ")) is planned)"
        }
        if ScenarioKind.planned.contains(text) {
            value.report("kind '\(text)' is not supported yet; \(list)")
        } else if let near = Suggestions.closest(to: text, in: supported + ScenarioKind.planned) {
            value.report("unknown kind '\(text)'; did you mean '\(near)'? \(list)")
        } else {
            value.report("unknown kind '\(text)'; \(list)")
        }
        return nil
    }
}
