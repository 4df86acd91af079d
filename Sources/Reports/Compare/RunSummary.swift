// RunSummary.swift — a run folder's summary.json read back: identity, KPI verdicts and every
// whole-run estimate, for `simrun compare`.

import Foundation
import Sim

// MARK: - A run read back

/// What `simrun compare` needs from one run folder's `summary.json`.
public struct RunSummary: Sendable {
    /// One KPI verdict as written: `{"expr", "metric", "value", "passed"}`.
    public struct Verdict: Sendable, Equatable {
        public var expression: String
        public var key: String
        public var value: Double
        public var passed: Bool
    }

    /// One whole-run figure across replications, with the spread the comparison needs.
    public struct Figure: Sendable, Equatable {
        /// The summary key (`metrics.api.latency.p95`, `stations.api.utilization`).
        public var key: String
        public var mean: Double
        /// The Student-t 95 % half-width as written (`nil`: one replication, or no value).
        public var ci95: Double?
        /// The replications' sample standard deviation, recovered from the half-width:
        /// `s = ci95 · √n / t₀.₉₇₅,ₙ₋₁` (`nil` without a half-width).
        public var standardDeviation: Double?
    }

    public var folder: URL
    public var kind: String
    public var name: String
    public var seed: String
    public var replications: Int
    public var verdicts: [Verdict]
    /// Every figure in file order.
    public var figures: [Figure]

    /// A summary.json that cannot be read or lacks what compare needs (exit code 2).
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The groups of `summary.json` that hold whole-run estimates (`{"mean", "ci95"}`).
    static let estimateGroups = ["metrics", "stations", "classes"]

    /// Reads `folder/summary.json`.
    public init(folder: URL) throws(ReadError) {
        let file = folder.appendingPathComponent("summary.json")
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ReadError(description: "\(file.path): cannot read a run's summary.json (\(error.localizedDescription)); give folders written by simrun run")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw ReadError(description: "\(file.path): not valid JSON: \(error)")
        }
        guard case .object(let members) = json,
              case .string(let kind)? = json.value(at: "kind"),
              case .string(let name)? = json.value(at: "name"),
              case .int(let replications)? = json.value(at: "replications"), replications >= 1 else {
            throw ReadError(description: "\(file.path): not a simrun summary (needs kind, name and replications)")
        }
        self.folder = folder
        self.kind = kind
        self.name = name
        self.replications = replications
        switch json.value(at: "seed") {
        case .int(let seed)?: self.seed = String(seed)
        case .string(let seed)?: self.seed = seed
        default: self.seed = "?"
        }
        verdicts = []
        if case .array(let items)? = json.value(at: "kpis") {
            for item in items {
                guard case .string(let expression)? = item.value(at: "expr") else { continue }
                var key = ""
                if case .string(let metric)? = item.value(at: "metric") { key = metric }
                let passed: Bool = if case .bool(let passed)? = item.value(at: "passed") { passed } else { false }
                verdicts.append(Verdict(expression: expression, key: key, value: Self.number(item.value(at: "value")), passed: passed))
            }
        }
        let critical = replications >= 2
            ? ConfidenceInterval.tQuantile(confidenceLevel: 0.95, degreesOfFreedom: replications - 1) : .nan
        var figures: [Figure] = []
        func collect(_ value: JSONValue, key: String) {
            guard case .object(let members) = value else { return }
            if members.contains(where: { $0.0 == "mean" }) {
                let mean = Self.number(value.value(at: "mean"))
                let half = value.value(at: "ci95").flatMap { Self.optionalNumber($0) }
                let sd = half.map { $0 * Double(replications).squareRoot() / critical }.flatMap { $0.isFinite ? $0 : nil }
                figures.append(Figure(key: key, mean: mean, ci95: half, standardDeviation: sd))
                return
            }
            for (name, member) in members { collect(member, key: key + "." + name) }
        }
        for (name, value) in members where Self.estimateGroups.contains(name) { collect(value, key: name) }
        self.figures = figures
    }

    /// The figure at `key`, if the summary has it.
    public func figure(_ key: String) -> Figure? { figures.first { $0.key == key } }

    private static func number(_ value: JSONValue?) -> Double {
        value.flatMap(optionalNumber) ?? .nan
    }

    private static func optionalNumber(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }
}
