import Foundation
import Reports

// MARK: - Whole-pipeline benchmark

/// A whole `simrun run` of an M/M/1 network scenario (ρ = 0.9, the reference's `mm1` model):
/// YAML parsed and validated, one replication simulated with every statistic, `summary.json`
/// and `report.md` written. Measured in customers moved per second, against the C reference's
/// customers per second on the same model.
public enum PipelineBenchmark {
    /// The scenario: about 3,000,000 customers, like `des_ref mm1 3000000`.
    static let scenario = """
        # M/M/1 at ρ = 0.9, the C reference's mm1 model, for `simrun bench`.
        kind: network
        name: bench-mm1
        seed: 1
        duration: 3333333
        warmup: 0
        replications: 1
        stations:
          - {name: server, servers: 1, service: {distribution: exponential, mean: 1}}
        arrivals:
          - {class: customers, station: server, interarrival: {distribution: exponential, mean: 1.1111111111111112}}
        kpis:
          - "p95(server.response) < 1h"
        """

    /// Runs the pipeline once in `folder` (a scratch folder); returns customers and wall seconds.
    public static func run(in folder: URL) async throws -> (customers: Int, seconds: Double) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("bench-mm1.yaml")
        try Data(scenario.utf8).write(to: file)
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await ScenarioRun(path: file.path, outputFolder: folder.appendingPathComponent("out").path,
                                            threads: 1).execute()
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        guard case .network(let report) = outcome.report else { preconditionFailure("the benchmark scenario is a network") }
        return (report.result.totalCustomersCompleted, seconds)
    }
}
