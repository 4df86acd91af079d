// ScenarioDefaults.swift — `defaults: FILE`: values several task-system scenarios share (the
// seed's calibrated present), read from one file beneath each scenario's own.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Yams

// MARK: - ScenarioDefaultsSource

/// A defaults file as a scenario read it: reports reproduce it beside the scenario file.
public struct ScenarioDefaultsSource: Sendable, Equatable {
    /// The file as the scenario's `defaults` key resolves it (relative to the scenario's folder).
    public var path: String
    /// Its `name`.
    public var name: String
    /// Its text as read.
    public var text: String

    /// Creates the record of a defaults file read from `path`.
    public init(path: String, name: String, text: String) {
        self.path = path
        self.name = name
        self.text = text
    }
}

// MARK: - ScenarioDefaults

/// Reads the defaults file a task-system scenario names (`defaults: defaults/seed-present.yaml`).
///
/// A defaults file says `kind: defaults` and `name`, then any keys a task-system scenario may
/// write (not another `defaults`). It must be valid on its own, read as a scenario of its keys
/// over simrun's defaults; its problems name its own file, line and column. Beneath a scenario,
/// the document root and its sections merge key by key (the scenario's keys win); a value
/// deeper than a section is replaced whole (``YAMLValue/mapping(allowedKeys:expected:)``).
enum ScenarioDefaults {
    /// The scenario's key naming the file, and the `kind` of a defaults file.
    static let key = "defaults"

    /// The path of the file `named` names, relative to the folder of `scenarioPath`.
    static func resolve(_ named: String, against scenarioPath: String) -> String {
        let folder = (scenarioPath as NSString).deletingLastPathComponent
        guard !named.hasPrefix("/"), !folder.isEmpty else { return named }
        return (folder as NSString).appendingPathComponent(named)
    }

    /// True when `path` exists (symbolic links followed) and is neither a regular file nor a folder.
    private static func isSpecialFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// `root` (a scenario's document) with the defaults file its `defaults` key names beneath
    /// it, and that file's record; `root` itself and no record when the key is absent or null;
    /// `nil` after reporting why the file cannot be used. The loader and the composed
    /// (standalone) scenario both start here, so they read the key alike.
    static func underlaid(_ root: YAMLValue, scenarioPath: String,
                          catalog: PriceCatalog) -> (root: YAMLValue, source: ScenarioDefaultsSource?)? {
        guard let named = root.mapping()?.optional(key) else { return (root, nil) }
        guard let (underlay, source) = read(named, scenarioPath: scenarioPath, catalog: catalog) else { return nil }
        return (root.underlaid(by: underlay), source)
    }

    /// The defaults file `named` (the scenario's `defaults` value) names, as a cursor to merge
    /// beneath the scenario's root (its `kind`, `name` and `defaults` left out), and its record;
    /// `nil` after reporting why it cannot be used.
    private static func read(_ named: YAMLValue, scenarioPath: String,
                     catalog: PriceCatalog) -> (underlay: YAMLValue, source: ScenarioDefaultsSource)? {
        guard let written = named.string() else { return nil }
        guard !written.isEmpty else {
            named.report("names no file; write the path of a defaults file, relative to this scenario's folder")
            return nil
        }
        let path = resolve(written, against: scenarioPath)
        if isSpecialFile(path) {
            // A FIFO or a device could block the load or never end; a defaults file is a file.
            named.report("cannot use the defaults file '\(path)': it is not a regular file")
            return nil
        }
        let text: String
        do {
            text = try ScenarioFile.text(at: path)
        } catch {
            for problem in error.errors {
                named.report("cannot use the defaults file '\(path)': \(problem.message)")
            }
            return nil
        }
        let diagnostics = named.diagnostics.forFile(path)
        guard let root = YAMLDocument.root(of: text, diagnostics: diagnostics),
              let map = root.mapping(expected: "a mapping with 'kind: defaults', 'name', … at the top level") else {
            return nil
        }
        if let kindValue = map.required("kind"), let kind = kindValue.string(), kind != key {
            kindValue.report("a scenario's defaults file says 'kind: \(key)', got '\(kind)'")
        }
        if let nested = map.entries.first(where: { $0.key == key }) {
            diagnostics.report("a defaults file cannot name another defaults file; write its values here",
                               at: nested.keyMark, path: nested.value.path)
        }
        let name = map.required("name")?.scenarioName()
        _ = TaskSystemReader(sourcePath: path, catalog: catalog).read(map)
        guard let name, !diagnostics.hasErrors else { return nil }

        let kept = (root.node.mapping ?? Node.Mapping([])).filter { pair in
            !["kind", "name", key].contains(pair.key.scalar?.string ?? "")
        }
        let node = Node.mapping(Node.Mapping(kept.map { ($0.key, $0.value) }))
        return (YAMLValue(node: node, path: .root, diagnostics: diagnostics),
                ScenarioDefaultsSource(path: path, name: name, text: text))
    }
}
