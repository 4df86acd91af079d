// BadScenarioCorpusTests.swift — every file under BadScenarios/ is refused with the exact
// messages BadScenarios/expected.txt gives, quickly (issue 7's crash, hang and message cases).

import Foundation
import Testing
@testable import Scenarios

// MARK: - The corpus

@Suite struct BadScenarioCorpusTests {
    /// The corpus folder, beside this file.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("BadScenarios")

    /// `expected.txt`: `file => line:column: keyPath: message`, one line per expected error,
    /// in the order reported; `#` lines are comments.
    static func expectations() throws -> [String: [String]] {
        let text = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
        var result: [String: [String]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let separator = line.range(of: " => ") else { continue }
            result[String(line[..<separator.lowerBound]), default: []].append(String(line[separator.upperBound...]))
        }
        return result
    }

    /// The corpus' files (every entry of the folder but expected.txt), sorted.
    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0 != "expected.txt" }
            .sorted()
    }

    @Test func everyFileHasExpectationsAndTheCorpusIsLargeEnough() throws {
        let files = try Self.files(), expected = try Self.expectations()
        #expect(files.count >= 40)
        #expect(Set(files) == Set(expected.keys), "files without expectations, or expectations without files")
    }

    @Test(arguments: try BadScenarioCorpusTests.files())
    func fileIsRefusedWithItsExactMessages(name: String) throws {
        let expected = try #require(try Self.expectations()[name], "no expectation for \(name)")
        let path = Self.folder.appendingPathComponent(name).path
        let clock = ContinuousClock()
        let started = clock.now
        var actual: [String] = []
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("\(name) loaded; it must be refused")
        } catch {
            actual = error.errors.map { Fixture.render($0).replacing(path, with: "FILE") }
        }
        let elapsed = clock.now - started
        #expect(actual == expected, "\(name)")
        #expect(elapsed < .seconds(2), "\(name) took \(elapsed)")
        for message in actual {
            #expect(!message.contains("NSCocoaErrorDomain") && !message.contains("yaml_")
                    && !message.contains("Error Domain"), "\(name): \(message)")
        }
    }
}
