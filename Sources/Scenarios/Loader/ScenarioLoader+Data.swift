// ScenarioLoader+Data.swift — the loader on raw bytes: UTF-8 is checked before YAML is parsed.

import Foundation

// MARK: - ScenarioLoader on bytes

extension ScenarioLoader {
    /// Decodes the bytes of a scenario file as if read from `path`: refused as ``load(path:)``
    /// refuses a file's bytes (too large, not UTF-8; see ``ScenarioFile``), otherwise
    /// ``load(yaml:path:)``.
    public static func load(data: Data, path: String) throws(ScenarioErrors) -> Scenario {
        try load(yaml: ScenarioFile.text(of: data, path: path), path: path)
    }
}
