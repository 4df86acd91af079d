import ArgumentParser
import Foundation
import Reports
import Scenarios

// MARK: - simrun plan

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find, per tier of users, the cheapest configuration whose KPIs pass; check the seed's tables.",
        discussion: """
            For each --users tier the scenario runs at a constant load (users/10 active; its \
            database tier table replaced by a fixed topology; an autoscaled API starting at the \
            size that keeps the load at 70 % CPU) while the search varies the primary and replica \
            classes of its family in the price catalogue, the replica count, the API instance \
            limit, the Celery workers and the Redis node: the most generous configuration first \
            (a KPI failing there cannot be bought, and is held no worse than it was there), then \
            up the bottleneck from an analytic lower bound, confirming with --replications near \
            the boundary, then down to the cheapest. \
            Writes plan.json, plan.md and plan.html (docs/planning.md). Exit codes: 0 every tier found a \
            configuration passing every KPI, 1 a tier did not or a KPI is unattainable, 2 bad \
            input, 3 an invariant broke.
            """)

    @Argument(help: "The task-system scenario file (YAML).")
    var file: String

    @Option(help: "Registered users per tier, comma-separated, e.g. 1000,10000,50000,100000.",
            transform: { text in
                try text.split(separator: ",").map { part in
                    guard let users = Int(part.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--users takes whole numbers separated by commas, got '\(part)'")
                    }
                    return users
                }
            })
    var users: [Int]

    @Option(help: "Simulated length of each evaluation (default 5m).")
    var duration = "5m"

    @Option(help: "Warm-up of each evaluation (default 1m).")
    var warmup = "1m"

    @Option(parsing: .unconditional, help: "Replications confirming a candidate (default 3).",
            transform: { try CommandLineValues.count($0, option: "--replications") })
    var replications = 3

    @Option(parsing: .unconditional, help: "The most evaluations per tier (default 24).",
            transform: { try CommandLineValues.count($0, option: "--max-evaluations") })
    var maxEvaluations = 24

    @Option(help: "Also run the scenario as written with its tiers ordered at these percentages of their boundaries, e.g. 100,80,60, and say how early each must be ordered.",
            transform: { text in
                try text.split(separator: ",").map { part in
                    guard let percent = Double(part.trimmingCharacters(in: .whitespaces)), percent > 0, percent <= 100 else {
                        throw ValidationError("--transitions takes percentages above 0 and at most 100, got '\(part)'")
                    }
                    return percent / 100
                }
            })
    var transitions: [Double] = []

    @Option(help: "A price catalogue in catalog/aws.yaml's format, replacing the built-in one.")
    var catalog: String?

    @Option(help: "Output folder (default: reports/<scenario name>-plan/).")
    var out: String?

    @Option(parsing: .unconditional, help: "Root seed, overriding the scenario's.",
            transform: { try CommandLineValues.seed($0) })
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Replications run at once (default: the number of cores). Results do not depend on it.",
            transform: { try CommandLineValues.count($0, option: "--threads") })
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        var plan = PlanRun(path: file, users: users, duration: duration, warmup: warmup,
                           overrides: .init(seed: seed, catalogPath: catalog), outputFolder: out, threads: threads,
                           confirmationReplications: replications, maximumEvaluations: maxEvaluations)
        plan.transitionFractions = transitions
        let prepared: (scenario: TaskSystemScenario, catalog: PriceCatalog, spaces: [PlanSpace], folder: OutputFolder)
        do {
            prepared = try plan.prepare()
        } catch {
            throw inputErrorExit(error, command: "plan") ?? error
        }
        let spaces = prepared.spaces
        let result = try await plan.execute(prepared) { users, evaluation in
            let space = spaces.first { $0.users == users }!
            let failed = evaluation.verdicts.filter { !$0.passed }.count
            printProgress("  \(users) users: \(space.describe(evaluation.configuration)), \(evaluation.replications) replication(s): "
                  + (failed == 0 ? "pass" : "\(failed) KPI(s) fail"))
        }
        for tier in result.tiers {
            let chosen = tier.outcome.chosen.map { "\(tier.space.describe($0.configuration)) at \(Format.value($0.costPerHour, .dollars))/h" } ?? "none found"
            print("\(tier.space.users) users: \(chosen)")
        }
        print("plan.json, plan.md and plan.html in \(prepared.folder.url.path)/")
        throw ExitCode(result.exitCode)
    }
}
