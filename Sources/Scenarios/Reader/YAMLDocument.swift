// YAMLDocument.swift — YAML text to a root cursor; Yams syntax errors become ScenarioErrors.

import Yams

// MARK: - YAMLDocument

/// Parsing of one scenario file into ``YAMLValue`` cursors.
enum YAMLDocument {
    /// The root node of `text`, as a cursor reporting into `diagnostics`; `nil` after
    /// reporting a syntax error, an empty document or a shape ``YAMLStructureCheck`` refuses
    /// (alias bombs, deep nesting, keys that are not strings, duplicate keys).
    /// `settings` (`--param`) are applied to the composed document before it is read.
    static func root(of text: String, diagnostics: Diagnostics, settings: [ParameterSetting] = []) -> YAMLValue? {
        guard YAMLStructureCheck(diagnostics: diagnostics).check(text) else { return nil }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (position, message) = describe(error, in: text)
            diagnostics.report(message, line: position?.line ?? 0, column: position?.column ?? 0, path: .root)
            return nil
        } catch {
            diagnostics.report("cannot parse YAML: \(error)", at: nil, path: .root)
            return nil
        }
        guard let node else {
            diagnostics.report("the file is empty", line: 1, column: 1, path: .root)
            return nil
        }
        guard let overridden = ParameterOverrides.apply(settings, to: node, diagnostics: diagnostics) else { return nil }
        return YAMLValue(node: overridden, path: .root, diagnostics: diagnostics)
    }

    // MARK: Yams errors

    /// The position and a one-line message of a Yams error (without the snippet Yams appends).
    static func describe(_ error: YamlError, in text: String) -> (Position?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return (Position(mark), message)
        case .reader(let problem, let offset, _, _):
            return (offset.map { mark(atUTF8Offset: $0, in: text) }, "cannot read YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return (Position(context.mark), "duplicate key \(keys) in one mapping; each key may appear once")
        default:
            return (nil, "cannot parse YAML: \(error)")
        }
    }

    /// The line and column (in Unicode scalars) of a UTF-8 byte offset.
    static func mark(atUTF8Offset offset: Int, in text: String) -> Position {
        var line = 1, column = 1, consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += String(scalar).utf8.count
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Position(line: line, column: column)
    }
}

// MARK: - Position

/// A 1-based line and column (Yams' `Mark` cannot be created outside Yams).
struct Position {
    let line: Int
    let column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: Mark) {
        self.init(line: mark.line, column: mark.column)
    }
}
