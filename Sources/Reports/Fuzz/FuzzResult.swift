// FuzzResult.swift — what a fuzz found: every run's plan and invariants, each failing run with its
// replay command and the smallest plan that still fails; `fuzz.json` and the failing runs' files.

import Scenarios

// MARK: - FuzzResult

/// The outcome of `simrun fuzz`: a function of the scenario, the root seed, the number of runs
/// and the shrink bound only, so `fuzz.json` is the same bytes whatever the number of threads.
public struct FuzzResult: Sendable {
    /// One run and its report.
    public struct Outcome: Sendable {
        public let fuzzCase: FuzzCase
        public let report: RunReport

        /// The names of the invariants the run broke and does not accept (empty: it held every
        /// one, or broke only what its `accept:` declares).
        public var brokenInvariants: [String] {
            guard case .taskSystem(let report) = report else { return [] }
            return report.invariants.indices
                .filter { !report.invariants[$0].held && !report.accepts(TaskSystemReport.identifier(at: $0)) }
                .map { report.invariants[$0].name }
        }

        /// Whether the run broke one of `names` (a shrink candidate must break what the run did).
        func breaksAny(of names: [String]) -> Bool {
            brokenInvariants.contains { names.contains($0) }
        }
    }

    /// A failing run and the smallest run found that still breaks one of its invariants.
    public struct Failure: Sendable {
        public let original: Outcome
        public let smallest: Outcome
        /// Re-runs the shrinking made.
        public let attempts: Int
    }

    public let scenario: String
    public let path: String
    public let baseSeed: UInt64
    public let shrinkAttempts: Int
    /// Every run, by run number.
    public let outcomes: [Outcome]
    /// The failing runs, by run number.
    public let failures: [Failure]
    /// The scenario file's text, which the failing runs' composed files are made from.
    let sourceText: String

    /// 0 when every run held every invariant, else 3.
    public var exitCode: Int32 { failures.isEmpty ? 0 : 3 }

    // MARK: fuzz.json

    /// `fuzz.json`.
    public var json: JSONValue {
        .object([
            ("kind", .string("fuzz")),
            ("scenario", .string(scenario)),
            ("source", .string(path)),
            ("seed", .string(String(baseSeed))),
            ("runs", .int(outcomes.count)),
            ("shrink_attempts", .int(shrinkAttempts)),
            ("failed_runs", .int(failures.count)),
            ("bounds", Self.boundsJSON),
            ("results", .array(outcomes.map { Self.json(of: $0) })),
            ("failures", .array(failures.map { failure in
                .object([
                    ("run", .int(failure.original.fuzzCase.index)),
                    ("seed", .string(String(failure.original.fuzzCase.seed))),
                    ("invariants_broken", .array(failure.original.report.brokenInvariants.map { .string($0) })),
                    ("replay", .string(failure.original.report.replayCommand)),
                    ("scenario_file", .string(Self.scenarioFileName(failure.original.fuzzCase))),
                    ("summary_file", .string(Self.summaryFileName(failure.original.fuzzCase))),
                    ("smallest", Self.json(of: failure.smallest, attempts: failure.attempts)),
                ])
            })),
        ])
    }

    /// One run's object: its plan, what it broke and the command that replays it.
    static func json(of outcome: Outcome, attempts: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("run", .int(outcome.fuzzCase.index)),
            ("seed", .string(String(outcome.fuzzCase.seed))),
            ("parameters", .object(outcome.fuzzCase.parameters.map { ($0.keyPath, .string($0.value)) })),
            ("faults", .array(outcome.fuzzCase.faults.map(json(of:)))),
            ("invariants_broken", .array(outcome.report.brokenInvariants.map { .string($0) })),
            ("replay", .string(outcome.report.replayCommand)),
        ]
        if let attempts {
            members.append(("shrink_runs", .int(attempts)))
            members.append(("scenario_file", .string(scenarioFileName(outcome.fuzzCase, smallest: true))))
        }
        return .object(members)
    }

    /// A fault entry as a `faults:` entry in JSON: `{"kind": …, "at": "1200s", "count": 2}`.
    static func json(of entry: FaultEntry) -> JSONValue {
        .object([("kind", .string(entry.kind))] + entry.keys.map { key in
            switch key.value {
            case .count(let count): (key.name, .int(count))
            case .seconds, .milliseconds, .name: (key.name, .string(key.value.description))
            }
        })
    }

    /// The generators' documented bounds (what every run drew within).
    static var boundsJSON: JSONValue {
        .object([
            ("parameters", .array(FuzzParameter.all.map { .object([("key", .string($0.keyPath)), ("bounds", .string($0.bounds))]) })),
            ("faults", .array(FuzzFaultKind.all.map { .object([("kind", .string($0.name)), ("bounds", .string($0.bounds))]) })),
        ])
    }

    // MARK: Files

    /// `fuzz-<seed>.yaml` (or `fuzz-<seed>-smallest.yaml`): a failing run's scenario as one file.
    static func scenarioFileName(_ fuzzCase: FuzzCase, smallest: Bool = false) -> String {
        "fuzz-\(fuzzCase.seed)\(smallest ? "-smallest" : "").yaml"
    }

    /// `fuzz-<seed>.summary.json`: a failing run's summary, which its replay reproduces byte for byte.
    static func summaryFileName(_ fuzzCase: FuzzCase) -> String {
        "fuzz-\(fuzzCase.seed).summary.json"
    }

    /// The files of `--out`: `fuzz.json`, and for each failing run its summary and the composed
    /// scenario files of the run and of its smallest failing plan.
    public func outputFiles() throws -> [OutputFile] {
        var files: [OutputFile] = [.text("fuzz.json", json.serialized())]
        for failure in failures {
            files.append(.text(Self.summaryFileName(failure.original.fuzzCase), failure.original.report.summaryJSON.serialized()))
            for (outcome, smallest) in [(failure.original, false), (failure.smallest, true)] {
                let name = Self.scenarioFileName(outcome.fuzzCase, smallest: smallest)
                let seed = outcome.fuzzCase.seed
                let header = [
                    "Written by simrun fuzz: \(path) with run \(outcome.fuzzCase.index)'s \(smallest ? "smallest failing " : "")parameters and fault plan (seed \(seed)).",
                    "It broke: " + outcome.brokenInvariants.joined(separator: "; ") + ".",
                    "Run it: simrun run <this file> --seed \(seed) --replications 1",
                    "Exact replay of the fuzz run: " + outcome.report.replayCommand,
                ]
                files.append(.text(name, try ComposedScenario.yaml(of: sourceText, path: path,
                                                                   settings: try outcome.fuzzCase.settings(),
                                                                   header: questionLines.isEmpty ? header : header + [""] + questionLines)))
            }
        }
        return files
    }

    /// The file's header comment (its question), kept at the top of the composed files.
    var questionLines: [String] {
        sourceText.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("#") }
            .map { String($0.dropFirst().drop { $0 == " " }) }
    }

    // MARK: The summary on standard output

    /// The lines `simrun fuzz` prints at the end.
    public var summaryLines: [String] {
        var lines = ["fuzz of \(path): \(outcomes.count) run(s) from seed \(baseSeed), \(failures.count) broke an invariant"]
        for failure in failures {
            let original = failure.original, smallest = failure.smallest
            lines.append("  run \(original.fuzzCase.index), seed \(original.fuzzCase.seed): \(original.report.brokenInvariants.joined(separator: "; "))")
            lines.append("    replay:   \(original.report.replayCommand)")
            let plan = smallest.fuzzCase.faults.isEmpty ? "no faults" : smallest.fuzzCase.faults.map(\.description).joined(separator: ", ")
            let parameters = smallest.fuzzCase.parameters.map { "\($0.keyPath)=\($0.value)" }.joined(separator: " ")
            lines.append("    smallest: \(plan)\(parameters.isEmpty ? "" : "; parameters " + parameters) (\(failure.attempts) shrink run(s))")
            lines.append("    replay:   \(smallest.report.replayCommand)")
        }
        return lines
    }
}
