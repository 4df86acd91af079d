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
    ///
    /// `settings` (`--param KEYPATH=VALUE`) replace values of the file before it is read, and
    /// are checked like the file's own; a problem with one names it.
    ///
    /// Class names and prices come from `catalog` (the built-in one unless `--catalog` names another).
    public static func load(path: String, settings: [ParameterSetting] = [],
                            catalog: PriceCatalog = .builtIn) throws(ScenarioErrors) -> Scenario {
        try load(yaml: ScenarioFile.text(at: path), path: path, settings: settings, catalog: catalog)
    }

    /// Decodes `yaml` as if read from `path`, with `settings` applied.
    public static func load(yaml: String, path: String, settings: [ParameterSetting] = [],
                            catalog: PriceCatalog = .builtIn) throws(ScenarioErrors) -> Scenario {
        let diagnostics = Diagnostics(file: path)
        let scenario = decode(yaml, path: path, diagnostics: diagnostics, settings: settings, catalog: catalog)
        guard let scenario, !diagnostics.hasErrors else {
            throw naming(settings, in: diagnostics.collected)
        }
        return scenario
    }

    /// `errors` with every problem that has no position, at or under a setting's key path,
    /// saying which `--param` gave the value.
    private static func naming(_ settings: [ParameterSetting], in errors: ScenarioErrors) -> ScenarioErrors {
        guard !settings.isEmpty else { return errors }
        return ScenarioErrors(sorted: errors.errors.map { error in
            guard error.line == 0, !error.message.hasPrefix("--param"),
                  let setting = settings.last(where: { setting in
                      let key = setting.keyPath.description
                      return error.keyPath == key || error.keyPath.hasPrefix(key + ".") || error.keyPath.hasPrefix(key + "[")
                  }) else { return error }
            var named = error
            named.message += " (the value comes from --param \(setting))"
            return named
        })
    }

    // MARK: Dispatch

    private static func decode(_ yaml: String, path: String, diagnostics: Diagnostics,
                               settings: [ParameterSetting], catalog: PriceCatalog) -> Scenario? {
        guard let root = YAMLDocument.root(of: yaml, diagnostics: diagnostics, settings: settings),
              let map = root.mapping(expected: "a mapping with 'kind', 'name', … at the top level") else {
            return nil
        }
        guard let kind = readKind(map) else {
            return nil
        }
        switch kind {
        case .network:
            guard var scenario = NetworkReader(sourcePath: path).read(map) else { return nil }
            scenario.settings = settings
            return .network(scenario)
        case .taskSystem:
            let reader = TaskSystemReader(sourcePath: path, catalog: catalog)
            guard let (merged, defaults) = ScenarioDefaults.underlaid(root, scenarioPath: path, catalog: catalog),
                  let mergedMap = merged.mapping() else {
                // The defaults file cannot be used: the scenario's own problems are still found.
                _ = reader.read(map)
                return nil
            }
            guard var scenario = reader.read(mergedMap) else { return nil }
            scenario.settings = settings
            scenario.sourceText = yaml
            scenario.defaults = defaults
            return .taskSystem(scenario)
        }
    }

    /// `kind`, with a message listing the supported and planned kinds.
    private static func readKind(_ map: YAMLMapping) -> ScenarioKind? {
        guard let value = map.required("kind"), let text = value.string() else { return nil }
        if let kind = ScenarioKind(rawValue: text) { return kind }
        if text == ScenarioDefaults.key {
            value.report("this is a defaults file, read beneath the task-system scenarios that name it "
                + "('defaults: <this file>'); validate or run one of those scenarios")
            return nil
        }
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
