// Scenario.swift — every scenario kind the loader can return.

// MARK: - Scenario

/// A decoded scenario file; one case per `kind`.
public enum Scenario: Sendable, Equatable {
    /// `kind: network` — a queueing network.
    case network(NetworkScenario)
    /// `kind: task-system` — the simulated task management system.
    case taskSystem(TaskSystemScenario)

    /// The KPIs of the scenario, in file order.
    public var kpis: [KPI] {
        switch self {
        case .network(let scenario): scenario.kpis
        case .taskSystem(let scenario): scenario.kpis
        }
    }

    /// The scenario's `name` (a plain identifier, ``ScenarioName``).
    public var name: String {
        switch self {
        case .network(let scenario): scenario.spec.name
        case .taskSystem(let scenario): scenario.configuration.name
        }
    }

    /// The path the scenario was loaded from.
    public var sourcePath: String {
        switch self {
        case .network(let scenario): scenario.sourcePath
        case .taskSystem(let scenario): scenario.sourcePath
        }
    }
}

// MARK: - ScenarioKind

/// The values of the `kind` key.
public enum ScenarioKind: String, Sendable, CaseIterable {
    /// A queueing network (``NetworkScenario``).
    case network
    /// The simulated task management system (``TaskSystemScenario``).
    case taskSystem = "task-system"

    /// Kinds that are planned but not readable yet.
    public static let planned: [String] = []
}
