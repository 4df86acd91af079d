// YAMLValue.swift — a cursor on one YAML node: its key path, its position, typed accessors.

import Yams

// MARK: - YAMLValue

/// A cursor on one node of a parsed document.
///
/// Accessors return `nil` after reporting a problem (wrong type, impossible value) to the
/// shared ``Diagnostics``; callers carry on with the next key so that every problem of a file
/// is found in one pass.
struct YAMLValue {
    /// The node, with its position (`mark`).
    let node: Node
    /// Where the node sits in the document.
    let path: YAMLPath
    /// Where problems go.
    let diagnostics: Diagnostics
    /// What a defaults file (``ScenarioDefaults``) writes at the same key path, read for the
    /// keys this mapping leaves out; `nil` where nothing is merged (see ``mapping(allowedKeys:expected:)``).
    var underlay: Underlay?

    /// The node's 1-based line and column.
    var mark: Mark? { node.mark }

    /// A defaults file's value beneath a node (a class, so that a cursor may hold one).
    final class Underlay {
        let value: YAMLValue
        init(_ value: YAMLValue) { self.value = value }
    }

    /// Records a problem about this node, at its position.
    func report(_ message: String) {
        diagnostics.report(message, at: mark, path: path)
    }

    /// A cursor on `node`, a child of this node at `path`.
    func child(_ node: Node, at path: YAMLPath) -> YAMLValue {
        YAMLValue(node: node, path: path, diagnostics: diagnostics)
    }
}

// MARK: - Node classification

extension YAMLValue {
    /// The scalar, if the node is one.
    var scalar: Node.Scalar? {
        if case .scalar(let scalar) = node { return scalar }
        return nil
    }

    /// The text of an unquoted scalar whose type the YAML resolver decides (no explicit tag
    /// other than int or float).
    var plainText: String? {
        guard let scalar, scalar.style == .plain || scalar.style == .any else { return nil }
        let tag = scalar.tag.rawValue
        let untyped: [Tag.Name] = [.implicit, .int, .float, .null, .bool]
        guard untyped.contains(where: { $0.rawValue == tag }) else {
            return nil
        }
        return scalar.string
    }

    /// True for `~`, `null` or nothing at all.
    var isNull: Bool {
        guard let text = plainText else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The node as written, for messages: `a mapping`, `a list`, `null`, `4.5`, `the string "x"`.
    var summary: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull { return "null" }
            if let text = plainText, Self.parseDouble(text) != nil || text == "true" || text == "false" {
                return text
            }
            return "the string \"\(scalar.string)\""
        }
    }

    /// Reports `expected <what>, got <summary>`.
    func reportType(_ expected: String) {
        report("expected \(expected), got \(summary)")
    }
}

// MARK: - Scalars

extension YAMLValue {
    /// Any scalar's text (quoted or not, so that a name like `no` or `7` stays a name);
    /// null and collections are errors.
    func string() -> String? {
        guard let scalar, !isNull else {
            reportType("a string")
            return nil
        }
        return scalar.string
    }

    /// An unquoted decimal integer within `minimum…maximum` (each bound optional).
    ///
    /// A number written as a float (`1e6`, `2000.0`) is accepted when it is integral, then
    /// bound-checked like any integer; `1.5` is not an integer. A literal beyond `Int` (e.g.
    /// `99999999999999999999999`) is reported as too large (or too small), not as "not an integer".
    func int(atLeast minimum: Int? = nil, atMost maximum: Int? = nil) -> Int? {
        guard let text = plainText, let value = Self.parseInteger(text) else {
            reportType("an integer")
            return nil
        }
        switch value {
        case .tooLarge:
            report("too large (max \(maximum ?? Int.max)), got \(text)")
            return nil
        case .tooSmall:
            report("too small (min \(minimum ?? Int.min)), got \(text)")
            return nil
        case .value(let value):
            if let minimum, value < minimum {
                report("too small (min \(minimum)), got \(text)")
                return nil
            }
            if let maximum, value > maximum {
                report("too large (max \(maximum)), got \(text)")
                return nil
            }
            return value
        }
    }

    /// An integer as written: in range of `Int`, or beyond it on either side.
    enum ParsedInteger: Equatable {
        case value(Int)
        case tooLarge
        case tooSmall
    }

    /// `text` as an integer: decimal digits (underscores allowed, optional sign), or a float
    /// literal with an integral value; `nil` when it is not an integer at all.
    static func parseInteger(_ text: String) -> ParsedInteger? {
        let cleaned = text.replacing("_", with: "")
        if let value = Int(cleaned) { return .value(value) }
        let digits = cleaned.drop { $0 == "+" || $0 == "-" }
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return cleaned.hasPrefix("-") ? .tooSmall : .tooLarge
        }
        guard let number = parseDouble(text), number.isFinite, number == number.rounded() else { return nil }
        if number >= 0x1p63 { return .tooLarge }
        if number < -0x1p63 { return .tooSmall }
        return .value(Int(number))
    }

    /// An unquoted non-negative decimal integer up to 2⁶⁴ − 1.
    func uint64() -> UInt64? {
        guard let text = plainText, let value = UInt64(text.replacing("_", with: "")) else {
            if let text = plainText, Int(text) != nil {
                report("too small (min 0), got \(text)")
            } else {
                reportType("an integer from 0 to \(UInt64.max)")
            }
            return nil
        }
        return value
    }

    /// An unquoted finite number.
    func double() -> Double? {
        guard let text = plainText, let value = Self.parseDouble(text) else {
            reportType("a number")
            return nil
        }
        guard value.isFinite else {
            report("must be a finite number, got \(text)")
            return nil
        }
        return value
    }

    /// `true` or `false`, unquoted.
    func bool() -> Bool? {
        switch plainText {
        case "true": return true
        case "false": return false
        default:
            reportType("true or false")
            return nil
        }
    }

    /// One of `allowed`; otherwise an error listing them (or the near one).
    func choice(from allowed: [String], what: String = "value") -> String? {
        guard let text = string() else { return nil }
        guard allowed.contains(text) else {
            report("unknown \(what) '\(text)'"
                   + Suggestions.hint(for: text, in: allowed, fallbackLabel: "allowed"))
            return nil
        }
        return text
    }

    /// A case of a string-backed enum, by raw value; otherwise an error listing the cases.
    func choice<Choice: CaseIterable & RawRepresentable>(
        _ type: Choice.Type, what: String = "value"
    ) -> Choice? where Choice.RawValue == String {
        choice(from: Choice.allCases.map(\.rawValue), what: what).flatMap(Choice.init(rawValue:))
    }

    /// Decimal numbers as YAML writes them (underscores allowed); also `.inf`/`.nan`, which
    /// callers then reject as non-finite.
    static func parseDouble(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let cleaned = text.replacing("_", with: "")
        // Swift also reads "inf", "nan" and hexadecimal floats; YAML does not.
        guard cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              cleaned.contains(where: \.isNumber) else { return nil }
        return Double(cleaned)
    }
}

// MARK: - Collections

extension YAMLValue {
    /// The list's items, each a cursor with its index in the path.
    func list() -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            reportType("a list")
            return nil
        }
        return sequence.enumerated().map { index, item in
            child(item, at: path.appending(index: index))
        }
    }

    /// The mapping's entries in document order. When `allowedKeys` is given, every other
    /// key is reported (with the near allowed key, if any) and left out.
    ///
    /// With an ``underlay`` (a defaults file's mapping at the same path), the keys this mapping
    /// leaves out (or writes as null) come from the underlay, after this mapping's own. The
    /// merge goes two levels deep: the document's root and its sections (`users`, `api`, …)
    /// merge key by key; any value deeper (`users.mix`, `users.think`, `api.cpu`) is replaced
    /// whole by the scenario's.
    func mapping(allowedKeys: [String]? = nil, expected: String = "a mapping") -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            reportType(expected)
            return nil
        }
        let beneath = underlay?.value.mapping(expected: expected)?.entries ?? []
        var entries: [YAMLMapping.Entry] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                diagnostics.report("mapping keys must be plain strings", at: keyNode.mark, path: path)
                continue
            }
            let key = keyScalar.string
            var value = child(valueNode, at: path.appending(key: key))
            if let under = beneath.first(where: { $0.key == key }) {
                if value.isNull {
                    entries.append(under)
                    continue
                }
                if path.components.isEmpty { value.underlay = Underlay(under.value) }
            }
            entries.append(YAMLMapping.Entry(key: key, keyMark: keyNode.mark, value: value))
        }
        let written = Set(entries.map(\.key))
        entries += beneath.filter { !written.contains($0.key) }
        var result = YAMLMapping(value: self, entries: entries)
        if let allowedKeys {
            result.rejectKeys(notIn: allowedKeys)
        }
        return result
    }

    /// This cursor with `underlay` beneath it.
    func underlaid(by underlay: YAMLValue) -> YAMLValue {
        var value = self
        value.underlay = Underlay(underlay)
        return value
    }

    /// The node with its ``underlay``'s keys merged in as ``mapping(allowedKeys:expected:)``
    /// merges them: one standalone document (what `simrun fuzz` writes for a failing run).
    func mergedNode() -> Node {
        guard underlay != nil, let map = mapping() else { return node }
        let pairs = map.entries.map { entry in
            (Node.scalar(Node.Scalar(entry.key)), entry.value.mergedNode())
        }
        return .mapping(Node.Mapping(pairs))
    }
}
