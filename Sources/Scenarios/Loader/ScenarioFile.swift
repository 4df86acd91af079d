// ScenarioFile.swift — a scenario file's bytes to text: a regular file, not too large, UTF-8.

import Foundation

// MARK: - ScenarioFile

/// Reads a scenario file, with messages in our words: never a Foundation error domain.
///
/// Refused: a missing or unreadable path, a folder, a file over ``maximumBytes``, and bytes that
/// are not UTF-8 (a UTF-16/UTF-32 byte-order mark, an invalid sequence, or a NUL byte, which
/// UTF-8 allows but YAML does not, and which usually means UTF-16 text), each with the byte and
/// line of the first offending byte (both 1-based, as `cmp` counts).
enum ScenarioFile {
    /// The largest scenario file read: far above any hand-written scenario (the shipped ones
    /// are 1–3 KB; a long empirical distribution of 100,000 values is under 1 MiB).
    static let maximumBytes = 4 << 20

    /// The text of the file at `path`, or the one problem that stops it being read.
    static func text(at path: String) throws(ScenarioErrors) -> String {
        func fail(_ message: String, line: Int = 0) -> ScenarioErrors {
            ScenarioErrors([ScenarioError(file: path, line: line, column: line > 0 ? 1 : 0, keyPath: "",
                                          message: message)])
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw fail("cannot read the file: no such file")
        }
        if isFolder.boolValue { throw fail("is a folder, not a scenario file") }
        guard FileManager.default.isReadableFile(atPath: path),
              let handle = FileHandle(forReadingAtPath: path) else {
            throw fail("cannot read the file: permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw fail("cannot read the file: it is not a regular file that can be read")
        }
        return try text(of: data, path: path)
    }

    /// `data` as text, as if read from `path`, or the one problem that stops it being read:
    /// more than ``maximumBytes``, or not UTF-8.
    static func text(of data: Data, path: String) throws(ScenarioErrors) -> String {
        func fail(_ message: String, line: Int = 0) -> ScenarioErrors {
            ScenarioErrors([ScenarioError(file: path, line: line, column: line > 0 ? 1 : 0, keyPath: "",
                                          message: message)])
        }
        guard data.count <= maximumBytes else {
            throw fail("the file is larger than \(maximumBytes >> 20) MiB; a scenario file is at most that")
        }
        if let problem = encodingProblem(in: data) {
            throw fail("not UTF-8 (at byte \(problem.byte), line \(problem.line)): \(problem.reason)",
                       line: problem.line)
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Encoding

    /// The first byte that keeps `data` from being UTF-8 YAML text, 1-based, with its line.
    struct EncodingProblem: Equatable {
        let byte: Int
        let line: Int
        let reason: String
    }

    /// The first encoding problem of `data`, or `nil` when it is valid UTF-8 without NUL bytes.
    static func encodingProblem(in data: Data) -> EncodingProblem? {
        let bytes = [UInt8](data)
        let saveAsUTF8 = "save the file as UTF-8"
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return EncodingProblem(byte: 1, line: 1, reason: "the file starts with a UTF-16 byte-order mark; \(saveAsUTF8)")
        }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return EncodingProblem(byte: 1, line: 1, reason: "the file starts with a UTF-32 byte-order mark; \(saveAsUTF8)")
        }
        var offset = 0, line = 1
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == 0 {
                    return EncodingProblem(byte: offset + 1, line: line,
                                           reason: "a NUL byte (is the file UTF-16?); \(saveAsUTF8)")
                }
                if encoded.count == 1, encoded.first == 0x0A { line += 1 }
                offset += encoded.count
            case .error:
                let hex = String(bytes[offset], radix: 16, uppercase: true)
                return EncodingProblem(byte: offset + 1, line: line, reason: "invalid byte 0x\(hex); \(saveAsUTF8)")
            case .emptyInput:
                return nil
            }
        }
    }
}
