// ParameterOverrides.swift — `--param` settings applied to a composed document before it is read.

import Yams

// MARK: - ParameterOverrides

/// Applies ``ParameterSetting``s to a composed scenario document, so that the reader checks an
/// overridden value exactly as if the file held it (ranges, units, unknown keys with
/// suggestions).
///
/// A setting replaces the value at its key path, or adds the key (and any missing mappings on
/// the way) when the file leaves it out. Its value carries no position: a problem with it is
/// reported at its key path without a line, and ``ScenarioLoader`` names the `--param` it came
/// from.
enum ParameterOverrides {
    /// `root` with every setting applied in order; `nil` after reporting a setting that cannot
    /// be applied (its value is not YAML, or its path crosses a value that is not a mapping or list).
    static func apply(_ settings: [ParameterSetting], to root: Node, diagnostics: Diagnostics) -> Node? {
        var document = root
        for setting in settings {
            guard let value = parsedValue(of: setting, diagnostics: diagnostics) else { return nil }
            switch replacing(at: setting.keyPath.components[...], in: document, with: value, path: .root) {
            case .success(let changed):
                document = changed
            case .failure(let problem):
                diagnostics.report("--param \(setting): \(problem.message)", at: nil, path: problem.path)
                return nil
            }
        }
        return document
    }

    // MARK: The value

    /// The setting's value composed as YAML, without positions (they would be positions in the
    /// command-line text, not in the file).
    private static func parsedValue(of setting: ParameterSetting, diagnostics: Diagnostics) -> Node? {
        let valueDiagnostics = Diagnostics(file: "--param \(setting)")
        guard YAMLStructureCheck(diagnostics: valueDiagnostics).check(setting.value),
              let node = try? Yams.compose(yaml: setting.value) else {
            diagnostics.report("--param \(setting): the value is not a YAML value", at: nil, path: path(of: setting.keyPath))
            return nil
        }
        return withoutPositions(node)
    }

    private static func withoutPositions(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar):
            return .scalar(Node.Scalar(scalar.string, scalar.tag, scalar.style, nil))
        case .mapping(let mapping):
            return .mapping(Node.Mapping(mapping.map { (withoutPositions($0.key), withoutPositions($0.value)) },
                                         mapping.tag, mapping.style, nil))
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map(withoutPositions), sequence.tag, sequence.style, nil))
        case .alias:
            return node
        }
    }

    // MARK: Walking the key path

    private struct Problem: Error {
        let message: String
        let path: YAMLPath
    }

    /// `node` with the value at `components` replaced by `value`.
    private static func replacing(at components: ArraySlice<ParameterKeyPath.Component>, in node: Node,
                                  with value: Node, path: YAMLPath) -> Result<Node, Problem> {
        guard let component = components.first else { return .success(value) }
        let rest = components.dropFirst()
        switch component {
        case .key(let key):
            guard var mapping = node.mapping else {
                return .failure(Problem(message: "\(describe(path)) is not a mapping, so it has no key '\(key)'", path: path))
            }
            let child = mapping[key] ?? emptyCollection(for: rest.first)
            switch replacing(at: rest, in: child, with: value, path: path.appending(key: key)) {
            case .success(let changed):
                mapping[key] = changed
                return .success(.mapping(mapping))
            case .failure(let problem):
                return .failure(problem)
            }
        case .index(let index):
            guard var sequence = node.sequence else {
                return .failure(Problem(message: "\(describe(path)) is not a list, so it has no item [\(index)]", path: path))
            }
            guard index < sequence.count else {
                return .failure(Problem(message: "\(describe(path)) has \(sequence.count) item(s); [\(index)] is not one of them", path: path))
            }
            let position = sequence.index(sequence.startIndex, offsetBy: index)
            switch replacing(at: rest, in: sequence[position], with: value, path: path.appending(index: index)) {
            case .success(let changed):
                sequence[position] = changed
                return .success(.sequence(sequence))
            case .failure(let problem):
                return .failure(problem)
            }
        }
    }

    /// What a missing key on the way holds before the rest of the path is applied: a mapping
    /// when a key follows (a list index cannot follow a key the file leaves out).
    private static func emptyCollection(for next: ParameterKeyPath.Component?) -> Node {
        switch next {
        case .key?: .mapping(Node.Mapping([]))
        case .index?: .sequence(Node.Sequence([]))
        case nil: .scalar(Node.Scalar(""))
        }
    }

    private static func describe(_ path: YAMLPath) -> String {
        path.components.isEmpty ? "the document" : "'\(path)'"
    }

    static func path(of keyPath: ParameterKeyPath) -> YAMLPath {
        keyPath.components.reduce(YAMLPath.root) { path, component in
            switch component {
            case .key(let key): path.appending(key: key)
            case .index(let index): path.appending(index: index)
            }
        }
    }
}
