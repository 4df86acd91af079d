// ScenarioLoader+Data.swift — the loader on raw bytes: UTF-8 is checked before YAML is parsed.

import Foundation

// MARK: - ScenarioLoader on bytes

extension ScenarioLoader {
    /// Decodes the bytes of a scenario file as if read from `path`.
    ///
    /// The bytes must be UTF-8; otherwise the one error points at the first byte that is not
    /// (its line and column, and its 1-based byte offset in the message) and no YAML is parsed.
    /// Valid bytes go to ``load(yaml:path:)``.
    public static func load(data: Data, path: String) throws(ScenarioErrors) -> Scenario {
        guard let text = String(validating: data, as: UTF8.self) else {
            let invalid = firstInvalidUTF8Byte(in: data)
            throw ScenarioErrors([ScenarioError(
                file: path, line: invalid.line, column: invalid.column, keyPath: "",
                message: "not UTF-8 (at byte \(invalid.offset), line \(invalid.line)); save the file as UTF-8")])
        }
        return try load(yaml: text, path: path)
    }

    /// Where the first byte of `data` that is not valid UTF-8 is: its 1-based byte offset, line
    /// and column (in Unicode scalars); one past the end when every byte is valid. Lines end at
    /// `\n`, `\r\n` or a lone `\r`.
    static func firstInvalidUTF8Byte(in data: Data) -> (offset: Int, line: Int, column: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var consumed = 0
        var line = 1
        var column = 1
        var afterCarriageReturn = false
        while case .valid(let encoded) = parser.parseScalar(from: &iterator) {
            let byte = encoded.count == 1 ? encoded.first : nil
            if byte == UInt8(ascii: "\n") && afterCarriageReturn {
                // The second half of `\r\n`: the line was counted at the `\r`.
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            afterCarriageReturn = byte == UInt8(ascii: "\r")
            consumed += encoded.count
        }
        return (consumed + 1, line, column)
    }
}
