import Scenarios
import Sim

// MARK: - The report of any scenario kind

/// A finished run's report, whatever its kind: what `simrun run` writes and prints.
public enum RunReport: Sendable {
    case network(NetworkReport)
    case taskSystem(TaskSystemReport)

    public var name: String {
        switch self {
        case .network(let report): report.result.spec.name
        case .taskSystem(let report): report.scenario.configuration.name
        }
    }

    public var seed: UInt64 {
        switch self {
        case .network(let report): report.result.spec.seed
        case .taskSystem(let report): report.scenario.configuration.seed
        }
    }

    public var replications: Int {
        switch self {
        case .network(let report): report.result.spec.replications
        case .taskSystem(let report): report.scenario.configuration.replications
        }
    }

    public var summaryJSON: JSONValue {
        switch self {
        case .network(let report): report.summaryJSON
        case .taskSystem(let report): report.summaryJSON
        }
    }

    public var markdown: String {
        switch self {
        case .network(let report): report.markdown
        case .taskSystem(let report): report.markdown
        }
    }

    public var verdicts: [KPIVerdict] {
        switch self {
        case .network(let report): report.verdicts
        case .taskSystem(let report): report.verdicts
        }
    }

    /// Broken invariants, described (empty when the run was sound).
    public var brokenInvariants: [String] {
        switch self {
        case .network(let report): report.result.invariantViolations
        case .taskSystem(let report): report.brokenInvariants
        }
    }

    /// Invariants that broke as a declared loss (`accept:`), described (empty when none).
    public var acceptedLosses: [String] {
        switch self {
        case .network: []
        case .taskSystem(let report): report.acceptedLosses
        }
    }

    /// Whether every KPI held.
    public var passed: Bool { verdicts.allSatisfy(\.passed) }
}
