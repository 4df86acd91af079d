// Scenario.swift — every scenario kind the loader can return.

// MARK: - Scenario

/// A decoded scenario file; one case per `kind`.
public enum Scenario: Sendable, Equatable {
    /// `kind: network` — a queueing network.
    case network(NetworkScenario)

    /// The KPIs of the scenario, in file order.
    public var kpis: [KPI] {
        switch self {
        case .network(let scenario): scenario.kpis
        }
    }

    /// The path the scenario was loaded from.
    public var sourcePath: String {
        switch self {
        case .network(let scenario): scenario.sourcePath
        }
    }
}

// MARK: - ScenarioKind

/// The values of the `kind` key.
public enum ScenarioKind: String, Sendable, CaseIterable {
    /// A queueing network (``NetworkScenario``).
    case network

    /// Kinds that are planned but not readable yet.
    public static let planned = ["task-system"]
}
