// ScenarioHeader.swift — the question a scenario asks: the comment block at the top of its file.

// MARK: - The header comment

/// The comment lines a scenario file opens with, before its first key: by convention the
/// question the scenario answers (`# Question (the flagship): as the user base grows …`).
/// Reports show it verbatim (escaped), so a reader knows what the run was for.
public enum ScenarioHeader {
    /// The leading `#` lines of `yaml` (blank lines between them allowed) with the `#` and one
    /// following space removed, joined by newlines; empty when the file starts with a key.
    /// A YAML directive line (`%YAML`) or document marker (`---`) ends the header.
    public static func comment(of yaml: String) -> String {
        var lines: [Substring] = []
        for line in yaml.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            if trimmed.isEmpty {
                if !lines.isEmpty { lines.append("") }
                continue
            }
            guard trimmed.first == "#" else { break }
            var text = trimmed.dropFirst()
            if text.first == " " { text = text.dropFirst() }
            while text.last == "\r" || text.last == " " { text = text.dropLast() }
            lines.append(text)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
