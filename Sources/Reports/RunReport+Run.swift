// RunReport+Run.swift — running a loaded scenario to its report (no files written).

import Scenarios
import Sim
import TaskSystem

// MARK: - Running a loaded scenario

extension RunReport {
    /// Runs every replication of `scenario` on `threads` threads and judges its KPIs.
    /// (`ScenarioRun.execute()` does the same after loading its file; `simrun check` runs
    /// scenarios whose KPIs it replaced.)
    /// Throws ``TaskSystemReport/UnresolvedKPI`` when a KPI reads a metric the run did not measure.
    /// `progress` follows a task-system run's replications (it changes nothing in the results).
    public static func run(_ scenario: Scenario, threads: Int, progress: RunProgress? = nil) async throws -> RunReport {
        switch scenario {
        case .network(let scenario):
            let result = await NetworkRunner.run(scenario.spec, threads: threads)
            return .network(NetworkReport(scenario: scenario, result: result))
        case .taskSystem(let scenario):
            progress?.begin(name: scenario.configuration.name, replications: scenario.configuration.replications,
                            duration: scenario.configuration.duration)
            let results = await TaskSystemSimulation.run(scenario.configuration, threads: threads,
                                                         progress: progress?.observer)
            progress?.finish()
            return .taskSystem(try TaskSystemReport(scenario: scenario, results: results))
        }
    }

    /// The command that replays this run: `simrun run FILE [--param K=V]… --seed N --replications R`.
    public var replayCommand: String {
        let (path, settings): (String, [ParameterSetting]) = switch self {
        case .network(let report): (report.scenario.sourcePath, report.scenario.settings)
        case .taskSystem(let report): (report.scenario.sourcePath, report.scenario.settings)
        }
        let parameters = settings.map { " --param " + ShellWord.quoted($0.description) }.joined()
        return "simrun run \(ShellWord.quoted(path))\(parameters) --seed \(seed) --replications \(replications)"
    }
}
