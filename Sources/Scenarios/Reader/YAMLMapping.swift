// YAMLMapping.swift — a mapping's entries in document order, with required/optional lookups
// and rejection of unknown keys.

import Yams

// MARK: - YAMLMapping

/// The entries of a YAML mapping, in the order written.
struct YAMLMapping {
    /// One `key: value` pair.
    struct Entry {
        let key: String
        /// Where the key is written (unknown-key errors point here).
        let keyMark: Mark?
        let value: YAMLValue
    }

    /// The mapping node itself (missing-key errors point here).
    let value: YAMLValue
    /// The entries, in document order.
    private(set) var entries: [Entry]

    /// The keys, in document order.
    var keys: [String] { entries.map(\.key) }

    /// The value of `key`, or `nil` if absent or null (an empty `key:` counts as absent).
    func optional(_ key: String) -> YAMLValue? {
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
        return entry.value
    }

    /// The value of `key`; reports `missing required key` at the mapping when absent or null.
    func required(_ key: String) -> YAMLValue? {
        if let value = optional(key) { return value }
        if let entry = entries.first(where: { $0.key == key }) {
            entry.value.report("is required but has no value")
        } else {
            value.report("missing required key '\(key)'")
        }
        return nil
    }

    /// Reports, at the key, every key not in `allowed` (suggesting an allowed key within edit
    /// distance 2, else listing them all), and drops those entries.
    mutating func rejectKeys(notIn allowed: [String]) {
        entries = entries.filter { entry in
            if allowed.contains(entry.key) { return true }
            let message: String
            if entry.key == "<<" {
                message = "YAML merge keys ('<<') are not supported; write the keys out"
            } else {
                message = "unknown key '\(entry.key)'"
                    + Suggestions.hint(for: entry.key, in: allowed, fallbackLabel: "allowed keys")
            }
            entry.value.diagnostics.report(message, at: entry.keyMark, path: entry.value.path)
            return false
        }
    }
}
