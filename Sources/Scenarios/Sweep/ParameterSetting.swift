// ParameterSetting.swift — `--param KEYPATH=VALUE[,VALUE…]`: a key path into a scenario file
// and the YAML text of the value(s) it takes instead of the file's own.

import Foundation

// MARK: - Key paths

/// A dotted key path into a scenario file, as `docs/scenarios.md` writes keys:
/// `api.autoscaling.max`, `database.replicas`, `jobs.pools.high.workers`, `kpis[0]`.
public struct ParameterKeyPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: a mapping key or a list index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps from the document root (never empty).
    public let components: [Component]

    /// The longest key path accepted, in characters.
    public static let maximumLength = 256

    /// Parses `text`; throws a message saying what is wrong with it.
    public init(parsing text: String) throws(ParameterError) {
        guard !text.isEmpty else { throw ParameterError("the key path is empty; write e.g. api.autoscaling.max=10") }
        guard text.count <= Self.maximumLength else {
            throw ParameterError("the key path is longer than \(Self.maximumLength) characters")
        }
        var components: [Component] = []
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(segment)
            let keyEnd = rest.firstIndex(of: "[") ?? rest.endIndex
            let key = rest[..<keyEnd]
            guard !key.isEmpty, key.allSatisfy(Self.isKeyCharacter) else {
                throw ParameterError("'\(text)' is not a key path: each step is a key of letters, digits, '_' or '-' (e.g. api.autoscaling.max), optionally followed by [index]")
            }
            components.append(.key(String(key)))
            rest = rest[keyEnd...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw ParameterError("'\(text)' is not a key path: a list index is written [0], [1], …")
                }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        self.components = components
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }

    /// `api.autoscaling.max`, `kpis[0]`: the form it was parsed from.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += (text.isEmpty ? "" : ".") + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

// MARK: - One setting

/// A key path and the YAML text of the one value it takes (`api.instances` = `4`).
public struct ParameterSetting: Sendable, Hashable, CustomStringConvertible {
    public let keyPath: ParameterKeyPath
    /// The value as written on the command line: a YAML scalar (`4`, `30s`, `db.r5.xlarge`) or
    /// a flow collection (`{min: 2, max: 10}`).
    public let value: String

    /// The longest value accepted, in UTF-8 bytes.
    public static let maximumValueLength = 4_096

    public init(keyPath: ParameterKeyPath, value: String) throws(ParameterError) {
        guard value.utf8.count <= Self.maximumValueLength else {
            throw ParameterError("the value of \(keyPath) is longer than \(Self.maximumValueLength) bytes")
        }
        self.keyPath = keyPath
        self.value = value
    }

    /// Parses `KEYPATH=VALUE` (one value: `simrun run --param`).
    public init(parsing argument: String) throws(ParameterError) {
        let parameter = try SweepParameter(parsing: argument)
        guard parameter.values.count == 1 else {
            throw ParameterError("--param \(argument): a run takes one value per key; sweep several with simrun sweep")
        }
        self = parameter.settings[0]
    }

    /// `api.instances=4`.
    public var description: String { "\(keyPath)=\(value)" }
}

// MARK: - A swept parameter

/// A key path and the values a sweep gives it, in the order written:
/// `database.replicas=0,2,4` → `database.replicas` with `0`, `2`, `4`.
public struct SweepParameter: Sendable, Hashable {
    public let keyPath: ParameterKeyPath
    /// One setting per value, in the order written.
    public let settings: [ParameterSetting]

    /// The most values one parameter may take.
    public static let maximumValues = 1_000

    /// Parses `KEYPATH=V1,V2,…`. Commas inside `[…]`, `{…}` or quotes do not split, so a flow
    /// mapping can be a value: `api.autoscaling={min: 2, max: 10},{min: 4, max: 20}`.
    public init(parsing argument: String) throws(ParameterError) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw ParameterError("--param '\(argument)': write KEYPATH=VALUE[,VALUE…], e.g. database.replicas=0,2,4")
        }
        let keyPath = try ParameterKeyPath(parsing: String(argument[..<equals]))
        let values = Self.splitValues(String(argument[argument.index(after: equals)...]))
        guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) else {
            throw ParameterError("--param \(keyPath): a value is empty; write KEYPATH=V1,V2,…")
        }
        guard values.count <= Self.maximumValues else {
            throw ParameterError("--param \(keyPath): more than \(Self.maximumValues) values")
        }
        var settings: [ParameterSetting] = []
        for value in values {
            guard !settings.contains(where: { $0.value == value }) else {
                throw ParameterError("--param \(keyPath): the value \(value) is given twice")
            }
            settings.append(try ParameterSetting(keyPath: keyPath, value: value))
        }
        self.keyPath = keyPath
        self.settings = settings
    }

    /// The values' YAML texts, in order, never empty, without repeats.
    public var values: [String] { settings.map(\.value) }

    /// Splits at top-level commas (outside brackets, braces and quotes), trimming spaces.
    static func splitValues(_ text: String) -> [String] {
        var values: [String] = [], current = "", depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth = max(0, depth - 1)
            } else if character == ",", depth == 0 {
                values.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            current.append(character)
        }
        values.append(current.trimmingCharacters(in: .whitespaces))
        return values
    }
}

// MARK: - Errors

/// A `--param` that cannot be used (exit code 2).
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
