// ScenarioName.swift — a scenario's `name`: a plain identifier, safe as a folder name.

// MARK: - Scenario names

/// The rule for a scenario's `name`, which becomes the default report folder `reports/<name>/`:
/// letters, digits, `-`, `_` and `.` (not leading), at most ``maximumLength`` characters. A name
/// can therefore never climb out of `reports/` (`..`, `/`), hide (`.x`) or be empty.
public enum ScenarioName {
    /// Longest accepted name (a folder name must stay under the file system's 255 bytes).
    public static let maximumLength = 100

    /// Why `name` is not a plain identifier, or `nil` when it is one.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.count > maximumLength {
            return "must be at most \(maximumLength) characters, got \(name.count)"
        }
        if name.first == "." { return "must not start with '.', got '\(name)'" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" || scalar == ".")
        }
        if !allowed {
            return "must be a plain identifier (letters, digits, '-', '_', and '.' not leading), got '\(name)'"
        }
        return nil
    }
}

extension YAMLValue {
    /// A scenario name (see ``ScenarioName``); reports why not and returns `nil` otherwise.
    func scenarioName() -> String? {
        guard let text = string() else { return nil }
        if let problem = ScenarioName.problem(with: text) {
            report(problem)
            return nil
        }
        return text
    }
}
