// ComposedScenario.swift — a scenario file with `--param` settings applied, written back as YAML.

import Yams

// MARK: - ComposedScenario

/// The text of a scenario file with settings applied, as one standalone file: what `simrun
/// fuzz` writes for a failing run, so that it can be read, edited and run without the fuzzer.
public enum ComposedScenario {
    /// `text` (the file at `path`) with `settings` applied, as YAML, after `header` (each line
    /// written as a `#` comment). Throws ``ScenarioErrors`` when the settings cannot be applied.
    public static func yaml(of text: String, path: String, settings: [ParameterSetting],
                            header: [String]) throws(ScenarioErrors) -> String {
        let diagnostics = Diagnostics(file: path)
        guard let root = YAMLDocument.root(of: text, diagnostics: diagnostics, settings: settings),
              !diagnostics.hasErrors, let body = try? Yams.serialize(node: root.node) else {
            throw diagnostics.collected
        }
        return header.map { $0.isEmpty ? "#\n" : "# " + $0 + "\n" }.joined() + body
    }
}
