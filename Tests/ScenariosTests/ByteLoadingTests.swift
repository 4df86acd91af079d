// ByteLoadingTests.swift — ScenarioLoader.load(data:path:): UTF-8 is checked before any YAML.

import Foundation
import Testing
@testable import Scenarios

@Suite("Loading bytes")
struct ByteLoadingTests {
    // MARK: Helpers

    /// The one error `bytes` give, rendered `line:column: message`; records an issue otherwise.
    private func error(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            _ = try ScenarioLoader.load(data: Data(bytes), path: "x.yaml")
            Issue.record("expected an error, but the bytes loaded", sourceLocation: sourceLocation)
        } catch {
            #expect(error.errors.count == 1, sourceLocation: sourceLocation)
            #expect(error.errors.allSatisfy { $0.file == "x.yaml" }, sourceLocation: sourceLocation)
            return error.errors.first.map { "\($0.line):\($0.column): \($0.message)" }
        }
        return nil
    }

    // MARK: Valid UTF-8

    @Test func validBytesLoadAsTheirText() throws {
        let yaml = "# caf\u{E9}: multi-byte UTF-8 in a comment\nkind: network\nname: cafe\nduration: 10\nstations:\n  - {name: s, service: {distribution: constant, value: 1}}\narrivals:\n  - {class: c, station: s, interarrival: {distribution: constant, value: 2}}\n"
        let fromBytes = try ScenarioLoader.load(data: Data(yaml.utf8), path: "x.yaml")
        let fromText = try ScenarioLoader.load(yaml: yaml, path: "x.yaml")
        guard case .network(let bytesScenario) = fromBytes, case .network(let textScenario) = fromText else {
            Issue.record("expected network scenarios")
            return
        }
        #expect(bytesScenario.spec.name == "cafe")
        #expect(bytesScenario == textScenario)
    }

    @Test func validBytesWithErrorsGiveTheYAMLReadersErrors() {
        let yaml = "kind: network\nname: x\nduration: -1\n"
        func errors(_ load: () throws(ScenarioErrors) -> Scenario) -> [String] {
            do throws(ScenarioErrors) {
                _ = try load()
                return []
            } catch {
                return error.errors.map(\.description)
            }
        }
        let fromBytes = errors { () throws(ScenarioErrors) in try ScenarioLoader.load(data: Data(yaml.utf8), path: "x.yaml") }
        let fromText = errors { () throws(ScenarioErrors) in try ScenarioLoader.load(yaml: yaml, path: "x.yaml") }
        #expect(fromBytes.contains { $0.hasPrefix("x.yaml:3:11: duration: ") })
        #expect(fromBytes == fromText)
    }

    // MARK: Not UTF-8

    @Test func latin1ByteIsNamedWithItsOffsetLineAndColumn() {
        // "name: café" in Latin-1: é is the single byte 0xE9, byte 28 (1-based), line 2, column 10.
        let bytes = Array("kind: task-system\nname: caf".utf8) + [0xE9] + Array("\n".utf8)
        #expect(error(bytes) == "2:1: not UTF-8 (at byte 28, line 2): invalid byte 0xE9; save the file as UTF-8")
    }

    @Test func utf16WithByteOrderMarkFailsAtTheFirstByte() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("kind: network\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(error(bytes) == "1:1: not UTF-8 (at byte 1, line 1): the file starts with a UTF-16 byte-order mark; save the file as UTF-8")
    }

    @Test func truncatedSequenceAtTheEndIsNamed() {
        // The first two bytes of "€" (E2 82 AC) at the end of the file.
        let bytes = Array("kind: x\r\nname: a\rb: ".utf8) + [0xE2, 0x82]
        #expect(error(bytes) == "2:1: not UTF-8 (at byte 21, line 2): invalid byte 0xE2; save the file as UTF-8")
    }

    @Test func offsetCountsBytesColumnCountsCharacters() {
        // "é€" is 5 bytes but 2 characters before the invalid byte.
        let bytes = Array("# é€".utf8) + [0xC0, 0x80]
        #expect(error(bytes) == "1:1: not UTF-8 (at byte 8, line 1): invalid byte 0xC0; save the file as UTF-8")
    }
}
