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
        let text = String(decoding: data, as: UTF8.self)
        let lines = maximumLine(of: text)
        check(load { () throws(ScenarioErrors) in try ScenarioLoader.load(data: data, path: path) }, lines: lines)
        if String(validating: data, as: UTF8.self) == nil {
            check(load { () throws(ScenarioErrors) in try ScenarioLoader.load(yaml: text, path: path) }, lines: lines)
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
        if rejection.errors.isEmpty { fail("the loader threw no error") }
        for error in rejection.errors {
            if error.file != path { fail("an error names '\(error.file)', not '\(path)': \(error)") }
            if error.message.isEmpty { fail("an error without a message: \(error)") }
            if !(0...lines).contains(error.line) { fail("an error at line \(error.line) of \(lines): \(error)") }
            if error.column < 0 { fail("an error at a negative column: \(error)") }
        }
    }

    /// The last line a message may name: libyaml counts `\r`, `\n`, `\r\n`, NEL, LS and PS as
    /// line breaks, and a message may point just past the last one (an unexpected end of file).
    /// Counting `\r\n` twice keeps this an upper bound.
    private static func maximumLine(of text: String) -> Int {
        let breaks: Set<Unicode.Scalar> = ["\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]
        return text.unicodeScalars.reduce(1) { breaks.contains($1) ? $0 + 1 : $0 } + 1
    }

    /// Traps with `message`, which libFuzzer reports with the input (a `precondition` would
    /// lose the message in a release build).
    private static func fail(_ message: String) -> Never {
        fatalError("ScenarioFuzzer: \(message)")
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
