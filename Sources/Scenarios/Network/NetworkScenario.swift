// NetworkScenario.swift — a decoded `kind: network` file.

import Sim

// MARK: - NetworkScenario

/// A `kind: network` scenario: the validated network, its KPIs and where it came from.
public struct NetworkScenario: Sendable, Equatable {
    /// The network, names resolved to indices.
    public var spec: NetworkSpec
    /// The KPIs, in file order; each already checked against ``MetricCatalogue/network(_:)``.
    public var kpis: [KPI]
    /// The path the scenario was loaded from.
    public var sourcePath: String
    /// The `--param` settings applied to the file when it was loaded (empty: the file as written).
    public var settings: [ParameterSetting] = []

    /// Creates a scenario; `kpis` should resolve in ``MetricCatalogue/network(_:)`` of `spec`.
    public init(spec: NetworkSpec, kpis: [KPI], sourcePath: String) {
        self.spec = spec
        self.kpis = kpis
        self.sourcePath = sourcePath
    }

    /// The metric catalogue of this network.
    public var metrics: MetricCatalogue { .network(spec) }
}
