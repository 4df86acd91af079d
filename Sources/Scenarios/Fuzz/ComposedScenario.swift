// ComposedScenario.swift — a scenario file with `--param` settings applied, written back as YAML.

import Yams

// MARK: - ComposedScenario

/// The text of a scenario file with settings applied, as one standalone file: what `simrun
/// fuzz` writes for a failing run, so that it can be read, edited and run without the fuzzer.
/// A defaults file the scenario names is merged in (and the `defaults` key dropped), so the
/// file stands alone wherever it is written.
public enum ComposedScenario {
    /// `text` (the file at `path`) with `settings` applied, as YAML, after `header` (each line
    /// written as a `#` comment). Throws ``ScenarioErrors`` when the settings cannot be applied.
    public static func yaml(of text: String, path: String, settings: [ParameterSetting],
                            header: [String], catalog: PriceCatalog = .builtIn) throws(ScenarioErrors) -> String {
        let diagnostics = Diagnostics(file: path)
        guard let root = YAMLDocument.root(of: text, diagnostics: diagnostics, settings: settings),
              let standalone = standalone(root, path: path, catalog: catalog),
              !diagnostics.hasErrors, let body = try? Yams.serialize(node: standalone) else {
            throw diagnostics.collected
        }
        return header.map { $0.isEmpty ? "#\n" : "# " + $0 + "\n" }.joined() + body
    }

    /// The document with the defaults file it names merged in, without its `defaults` key.
    private static func standalone(_ root: YAMLValue, path: String, catalog: PriceCatalog) -> Node? {
        guard let (merged, source) = ScenarioDefaults.underlaid(root, scenarioPath: path, catalog: catalog) else { return nil }
        guard source != nil, var mapping = merged.mergedNode().mapping else { return root.node }
        mapping[ScenarioDefaults.key] = nil
        return .mapping(mapping)
    }
}
