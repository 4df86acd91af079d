// ScenarioCheckTests.swift — `simrun check`: KPI overrides, validation before running, exit
// codes, and JUnit XML that parses with the common JUnit layout.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Reports
import Scenarios

/// The elements of an XML document as a tree, read with Foundation's XMLParser.
final class XMLTree: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
        func all(_ name: String) -> [Element] { children.filter { $0.name == name } }
    }

    private var stack: [Element] = []
    private(set) var root: Element?

    static func parse(_ xml: String) throws -> Element {
        let tree = XMLTree()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = tree
        guard parser.parse(), let root = tree.root else {
            throw parser.parserError ?? CocoaError(.fileReadCorruptFile)
        }
        return root
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        let element = Element(name: elementName, attributes: attributes)
        stack.last?.children.append(element)
        if stack.isEmpty { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }
}

@Suite struct ScenarioCheckTests {
    func shortScenario(in scratch: ScratchFolder, name: String = "short-task-system",
                       kpis: [String] = ["p95(api.latency) < 500ms", "rate(cache.hit) >= 0.5"]) throws -> String {
        var yaml = twoMinuteTaskSystemScenario.components(separatedBy: "kpis:")[0]
        yaml = yaml.replacingOccurrences(of: "name: short-task-system", with: "name: \(name)")
        yaml += "kpis:\n" + kpis.map { "  - \"\($0)\"\n" }.joined()
        return try scratch.write("\(name).yaml", yaml)
    }

    // MARK: Overrides

    @Test func kpiOverrideReplacesTheSameMetricAndAggregateAndAppendsOthers() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try shortScenario(in: scratch)
        let scenario = try ScenarioRun(path: file, threads: 1).load()
        let overridden = try scenario.replacingKPIs(with: [
            try KPI(parsing: "api.latency < 300ms"),          // default aggregate p95: replaces the first
            try KPI(parsing: "p99(api.latency) < 1s"),        // another aggregate: appended
            try KPI(parsing: "rate(cache.hit) >= 90%"),       // replaces the second
        ])
        #expect(overridden.kpis.map(\.expression) == ["api.latency < 300ms", "rate(cache.hit) >= 90%", "p99(api.latency) < 1s"])
        #expect(throws: KPIError.self) { try scenario.replacingKPIs(with: [try KPI(parsing: "p95(api.latncy) < 1s")]) }
        // A windowed KPI is judged on the windows: it sits beside the whole-run KPI on the same figure.
        let windowed = try overridden.replacingKPIs(with: [try KPI(parsing: "p95(api.latency) < 1s over 1m windows")])
        #expect(windowed.kpis.map(\.expression).last == "p95(api.latency) < 1s over 1m windows")
        #expect(windowed.kpis.count == overridden.kpis.count + 1)
        #expect(throws: KPIError.self) {
            try scenario.replacingKPIs(with: [try KPI(parsing: "p95(api.latency) < 1s over 30s windows")])
        }
    }

    // MARK: Validation

    @Test func everyInputIsValidatedBeforeAnythingRunsOrIsWritten() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let good = try shortScenario(in: scratch)
        let foreign = try scratch.write("results.xml", "<testsuites name=\"someone else\"/>")
        let out = scratch.url.appendingPathComponent("out").path
        let check = ScenarioCheck(paths: [good, scratch.url.appendingPathComponent("missing.yaml").path],
                                  kpiExpressions: ["p95(api.latncy) < 1s", "api.latency <", "p95(api.latency) < 1s over 30s windows"],
                                  outputFolder: out, junitPath: foreign, threads: 1)
        #expect {
            try check.prepare()
        } throws: { error in
            let messages = (error as? ScenarioCheck.InputErrors)?.messages ?? []
            return messages.count == 5
                && messages.contains { $0.hasPrefix("--kpi \"api.latency <\" at character 14: expected a threshold number") }
                && messages.contains { $0.contains("results.xml: the file exists and was not written by simrun check") }
                && messages.contains { $0.contains("missing.yaml") }
                && messages.contains { $0.contains("did you mean 'api.latency'?") }
                && messages.contains { $0.contains("must be the scenario's series windows (series.window: 60s)") }
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == "<testsuites name=\"someone else\"/>")
    }

    @Test func twoScenariosWithOneNameAreRefused() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let first = try shortScenario(in: scratch)
        let second = try scratch.write("copy.yaml", try String(contentsOfFile: first, encoding: .utf8))
        #expect(throws: ScenarioCheck.InputErrors.self) {
            try ScenarioCheck(paths: [first, second], outputFolder: scratch.url.path, threads: 1).prepare()
        }
    }

    // MARK: Running and JUnit

    @Test func checkJudgesWritesReportsAndValidJUnit() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let passing = try shortScenario(in: scratch, name: "passing")
        let failing = try shortScenario(in: scratch, name: "failing", kpis: ["p95(api.latency) < 1ms", "rate(cache.hit) >= 0.5"])
        let junit = scratch.url.appendingPathComponent("ci/junit.xml").path
        let check = ScenarioCheck(paths: [passing, failing], kpiExpressions: ["cost.total < 100"],
                                  outputFolder: scratch.url.appendingPathComponent("out").path, junitPath: junit, threads: 2)
        let results = try await check.execute(try check.prepare())
        #expect(ScenarioCheck.exitCode([results[0]]) == 0)
        #expect(ScenarioCheck.exitCode(results) == 1)
        for name in ["passing", "failing"] {
            #expect(FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("out/\(name)/summary.json").path))
        }

        let root = try XMLTree.parse(try String(contentsOfFile: junit, encoding: .utf8))
        #expect(root.name == "testsuites")
        #expect(root.attributes["tests"] == "8" && root.attributes["failures"] == "1" && root.attributes["errors"] == "0")
        let suites = root.all("testsuite")
        #expect(suites.map { $0.attributes["name"] } == ["passing", "failing"])
        for suite in suites {
            // The common JUnit layout: properties, then testcases; counts agree with the cases.
            #expect(suite.children.first?.name == "properties")
            #expect(suite.children.dropFirst().allSatisfy { $0.name == "testcase" })
            let cases = suite.all("testcase")
            #expect(suite.attributes["tests"] == String(cases.count))
            #expect(suite.attributes["failures"] == String(cases.filter { !$0.all("failure").isEmpty }.count))
            #expect(cases.allSatisfy { $0.attributes["name"] != nil && $0.attributes["classname"] == suite.attributes["name"] })
            #expect(cases.map { $0.attributes["name"] }.last == "invariants")
            let replay = suite.all("properties")[0].all("property").first { $0.attributes["name"] == "replay" }
            #expect(replay?.attributes["value"]?.hasPrefix("simrun run ") == true)
        }
        let failure = try #require(suites[1].all("testcase").first { $0.attributes["name"] == "p95(api.latency) < 1ms" }?.all("failure").first)
        #expect(failure.attributes["message"]?.hasPrefix("value ") == true)
        #expect(failure.attributes["message"]?.contains("threshold < 1 ms") == true)
        #expect(failure.text.contains("Replay: simrun run \(failing) --seed 5 --replications 2"))
        #expect(suites[0].all("testcase").map { $0.attributes["name"] }.contains("cost.total < 100"))

        // A second check may replace the JUnit file simrun wrote.
        #expect(JUnitFile.refusal(at: junit) == nil)
    }

    @Test func xmlEscapesMarkupQuotesAndControlCharacters() throws {
        let hostile = "<script>alert(\"x\" & 'y')</script>\u{1}\ttab\nline"
        let xml = "<a title=\(XML.attribute(hostile))>\(XML.text(hostile))</a>"
        #expect(!xml.contains("<script>"))
        let root = try XMLTree.parse(xml)
        #expect(root.attributes["title"] == "<script>alert(\"x\" & 'y')</script>\u{FFFD}\ttab\nline")
        #expect(root.text == "<script>alert(\"x\" & 'y')</script>\u{FFFD}\ttab\nline")
    }
}
