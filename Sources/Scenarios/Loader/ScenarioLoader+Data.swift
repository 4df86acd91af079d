// ScenarioLoader+Data.swift — the loader on raw bytes: UTF-8 is checked before YAML is parsed.

import Foundation

// MARK: - ScenarioLoader on bytes

extension ScenarioLoader {
    /// Decodes the bytes of a scenario file as if read from `path`.
    ///
    /// The bytes must be UTF-8; otherwise the one error names the first byte that is not, with
    /// its 1-based offset and line, and no YAML is parsed. Valid bytes go to ``load(yaml:path:)``.
    public static func load(data: Data, path: String) throws(ScenarioErrors) -> Scenario {
        guard let text = String(validating: data, as: UTF8.self) else {
            let (offset, line) = firstInvalidUTF8Byte(in: data)
            throw ScenarioErrors([ScenarioError(
                file: path, line: line, column: 0, keyPath: "",
                message: "not UTF-8 (at byte \(offset), line \(line)); save the file as UTF-8")])
        }
        return try load(yaml: text, path: path)
    }

    /// The 1-based byte offset and line of the first byte of `data` that is not valid UTF-8;
    /// one past the end when the data is valid.
    static func firstInvalidUTF8Byte(in data: Data) -> (offset: Int, line: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var consumed = 0
        var line = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") { line += 1 }
                consumed += encoded.count
            case .error:
                return (consumed + 1, line)
            case .emptyInput:
                return (consumed + 1, line)
            }
        }
    }
}
