// NameTable.swift — declared names (stations, classes) and references to them.

import Yams

// MARK: - NameTable

/// Names declared in a file, in declaration order, with where each was declared; reports
/// invalid and duplicate names and resolves references.
struct NameTable {
    /// What the names denote, for messages: `station`, `class`.
    let what: String
    /// Declared names, in order (invalid names included, so references to them do not
    /// produce a second error).
    private(set) var names: [String] = []
    private var declarations: [String: (index: Int, line: Int)] = [:]

    init(what: String) {
        self.what = what
    }

    /// Reads a name at `value` and declares it at `index`. Reports a non-identifier name, a
    /// duplicate, or a clash with `other` (whose names would make metric names ambiguous).
    mutating func declare(_ value: YAMLValue, index: Int, clashingWith other: NameTable? = nil) -> String? {
        guard let name = value.string() else { return nil }
        let line = value.mark?.line ?? 0
        if let first = declarations[name] {
            value.report("duplicate \(what) name '\(name)' (first declared on line \(first.line))")
            return nil
        }
        declarations[name] = (index, line)
        names.append(name)
        if let other, let clash = other.declarations[name] {
            value.report("\(what) name '\(name)' is also a \(other.what) name (line \(clash.line)); "
                         + "metrics such as '\(name).response' would be ambiguous")
            return nil
        }
        guard Self.isValid(name) else {
            value.report("invalid \(what) name '\(name)': use letters, digits, '_' and '-', "
                         + "starting with a letter or '_' (names appear in metrics such as '\(name).response')")
            return nil
        }
        return name
    }

    /// The index of the name at `value`; reports an unknown name with the near one or the list.
    func resolve(_ value: YAMLValue) -> Int? {
        guard let name = value.string() else { return nil }
        return resolve(name, reportingAt: value.mark, path: value.path, diagnostics: value.diagnostics)
    }

    /// The index of `name`; reports an unknown name at `mark`.
    func resolve(_ name: String, reportingAt mark: Mark?, path: YAMLPath, diagnostics: Diagnostics) -> Int? {
        if let declaration = declarations[name] { return declaration.index }
        diagnostics.report("unknown \(what) '\(name)'"
                           + Suggestions.hint(for: name, in: names, fallbackLabel: "\(what)s are"),
                           at: mark, path: path)
        return nil
    }

    /// Letters, digits, `_`, `-`; not starting with a digit or `-`.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
