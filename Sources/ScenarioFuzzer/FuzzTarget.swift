// FuzzTarget.swift — one input through the scenario loader, with checks on what comes back.

import Foundation
import Scenarios

// MARK: - FuzzTarget

/// Feeds one input to ``ScenarioLoader`` the way `simrun validate` would, then checks that the
/// answer is well formed. libFuzzer counts a trap, a hang or a memory blow-up as a finding;
/// a malformed answer traps here so that it counts too.
enum FuzzTarget {
    /// The file name the loader is given; every error must name it.
    static let path = "fuzz.yaml"

    /// Loads `bytes` as a scenario file. Bytes that are not UTF-8 are also loaded as the text
    /// a lenient reader would make of them (invalid bytes replaced by U+FFFD), so that the YAML
    /// parser sees every input, not only the valid ones.
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let data = Data(bytes)
        check(load { () throws(ScenarioErrors) in try ScenarioLoader.load(data: data, path: path) }, lines: lineCount(of: data))
        if String(validating: data, as: UTF8.self) == nil {
            let repaired = String(decoding: data, as: UTF8.self)
            check(load { () throws(ScenarioErrors) in try ScenarioLoader.load(yaml: repaired, path: path) }, lines: lineCount(of: data))
        }
    }

    // MARK: Checks

    /// The loader's answer: a scenario, or the errors it threw.
    private static func load(_ body: () throws(ScenarioErrors) -> Scenario) -> Result<Scenario, ScenarioErrors> {
        do throws(ScenarioErrors) {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }

    /// A rejection must say something, name the file, and point inside it (line 0 = no position).
    private static func check(_ result: Result<Scenario, ScenarioErrors>, lines: Int) {
        guard case .failure(let rejection) = result else { return }
        precondition(!rejection.errors.isEmpty, "the loader threw no error")
        for error in rejection.errors {
            precondition(error.file == path, "an error names '\(error.file)', not '\(path)': \(error)")
            precondition(!error.message.isEmpty, "an error without a message: \(error)")
            precondition((0...lines + 1).contains(error.line),
                         "an error at line \(error.line) of a \(lines)-line input: \(error)")
            precondition(error.column >= 0, "an error at a negative column: \(error)")
        }
    }

    /// Lines as an editor counts them: one more than the line breaks.
    private static func lineCount(of data: Data) -> Int {
        data.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}

// MARK: - libFuzzer entry

/// libFuzzer's callback: one input of `count` bytes at `start`. Always returns 0 (keep the input
/// if it found new coverage); a finding is a trap inside.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.run(UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
    return 0
}
