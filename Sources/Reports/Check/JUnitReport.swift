// JUnitReport.swift — `simrun check --junit FILE`: one testsuite per scenario, one testcase per
// KPI, in the common JUnit XML layout CI servers read (Jenkins' junit-10.xsd, GitLab, GitHub).

import Foundation
import Scenarios

// MARK: - JUnit XML

/// The JUnit XML of a check: `<testsuites name="simrun check">`, a `<testsuite>` per scenario
/// with its scenario, seed, replications and replay command as properties, a `<testcase>` per
/// KPI (a failed KPI carries a `<failure>` with value, threshold, margin and the replay
/// command) and a testcase `invariants` (an `<error>` when one broke). Every string is escaped.
public struct JUnitReport: Sendable {
    public let results: [ScenarioCheck.Result]

    public init(results: [ScenarioCheck.Result]) {
        self.results = results
    }

    /// The root element's opening, by which simrun recognises a JUnit file it wrote.
    static let signature = "<testsuites name=\"simrun check\""

    public var xml: String {
        let tests = results.reduce(0) { $0 + $1.report.verdicts.count + 1 }
        let failures = results.reduce(0) { $0 + $1.report.verdicts.filter { !$0.passed }.count }
        let errors = results.filter { !$0.report.brokenInvariants.isEmpty }.count
        let time = results.reduce(0) { $0 + $1.wallSeconds }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "\(Self.signature) tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\(XML.attribute(Self.seconds(time)))>\n"
        for result in results { out += suite(result) }
        return out + "</testsuites>\n"
    }

    private func suite(_ result: ScenarioCheck.Result) -> String {
        let report = result.report
        let failures = report.verdicts.filter { !$0.passed }.count
        let errors = report.brokenInvariants.isEmpty ? 0 : 1
        var out = "  <testsuite name=\(XML.attribute(report.name)) tests=\"\(report.verdicts.count + 1)\" "
        out += "failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" time=\(XML.attribute(Self.seconds(result.wallSeconds)))>\n"
        out += "    <properties>\n"
        for (name, value) in [("scenario", result.path), ("seed", String(report.seed)),
                              ("replications", String(report.replications)), ("replay", report.replayCommand),
                              ("report", result.folder.path)] {
            out += "      <property name=\(XML.attribute(name)) value=\(XML.attribute(value))/>\n"
        }
        out += "    </properties>\n"
        for text in report.verdictTexts {
            out += "    <testcase name=\(XML.attribute(text.verdict.kpi.expression)) classname=\(XML.attribute(report.name)) time=\"0\""
            if text.verdict.passed {
                out += "/>\n"
                continue
            }
            let summary = "value \(text.value), threshold \(text.threshold), margin \(text.margin)"
            out += ">\n      <failure message=\(XML.attribute(summary)) type=\"KPI\">"
            out += XML.text("\(text.verdict.kpi.expression) failed: \(summary) (summary key \(text.verdict.key)).\nReplay: \(report.replayCommand)")
            out += "</failure>\n    </testcase>\n"
        }
        out += "    <testcase name=\"invariants\" classname=\(XML.attribute(report.name)) time=\"0\""
        if report.brokenInvariants.isEmpty {
            out += "/>\n"
        } else {
            let broken = report.brokenInvariants.joined(separator: "\n")
            out += ">\n      <error message=\(XML.attribute("invariant broken: " + (report.brokenInvariants.first ?? ""))) type=\"invariant\">"
            out += XML.text(broken + "\nReplay: \(report.replayCommand)") + "</error>\n    </testcase>\n"
        }
        return out + "  </testsuite>\n"
    }

    /// Seconds with millisecond precision, as JUnit's `time` (`xs:decimal`).
    static func seconds(_ value: Double) -> String {
        DecimalText.fixed(max(0, value), decimals: 3, grouping: false)
    }
}

// MARK: - XML escaping

/// Escaping for XML 1.0 text and attributes. Characters XML 1.0 cannot hold at all (controls
/// other than tab, newline and carriage return, unpaired surrogates cannot occur in Swift
/// strings) become U+FFFD.
enum XML {
    /// `value` as a double-quoted attribute value.
    static func attribute(_ value: String) -> String {
        "\"" + escape(value, inAttribute: true) + "\""
    }

    /// `value` as element text.
    static func text(_ value: String) -> String { escape(value, inAttribute: false) }

    private static func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "'" where inAttribute: out += "&apos;"
            case "\n" where inAttribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where inAttribute: out += "&#9;"
            default:
                let v = scalar.value
                let allowed = v == 0x9 || v == 0xA || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}

// MARK: - The JUnit file

/// Writing the JUnit file: atomically, and never over a file simrun did not write.
enum JUnitFile {
    /// Why `path` may not be written, or `nil` when it may: it does not exist, or it is a JUnit
    /// file of `simrun check` (its root element says so).
    static func refusal(at path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return "--junit \(path): is a folder; give a file name" }
        guard let handle = FileHandle(forReadingAtPath: path) else { return "--junit \(path): cannot be read" }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 512)) ?? Data(), as: UTF8.self)
        guard head.contains(JUnitReport.signature) else {
            return "--junit \(path): the file exists and was not written by simrun check; simrun does not replace it (remove it or choose another name)"
        }
        return nil
    }

    /// Writes `xml` to `path` atomically (a temporary file renamed into place).
    static func write(_ xml: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(xml.utf8).write(to: url, options: .atomic)
    }
}
