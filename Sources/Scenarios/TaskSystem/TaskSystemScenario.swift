// TaskSystemScenario.swift — a decoded `kind: task-system` file.

import TaskSystem

// MARK: - TaskSystemScenario

/// A `kind: task-system` scenario: the validated configuration of the simulated task
/// management system, its KPIs and where it came from.
///
/// Every key of the file except `kind` and `name` is optional; an omitted key keeps the Swift
/// default of the configuration type it maps to (the seed's values, see `docs/scenarios.md`).
public struct TaskSystemScenario: Sendable, Equatable {
    /// The run's parameters.
    public var configuration: TaskSystemConfiguration
    /// The KPIs, in file order; each already checked against ``MetricCatalogue/taskSystem``.
    /// When the file has no `kpis` key these are ``TaskSystemScenario/defaultKPIs``.
    public var kpis: [KPI]
    /// The path the scenario was loaded from.
    public var sourcePath: String
    /// The `--param` settings applied to the file when it was loaded (empty: the file as written).
    public var settings: [ParameterSetting] = []
    /// The file's text as loaded (empty for a scenario built in code); reports show its header
    /// comment (``question``) and the file itself as the run's configuration.
    public var sourceText: String = ""

    /// The defaults file the scenario names (`defaults:`), as read; `nil` when it names none.
    public var defaults: ScenarioDefaultsSource?

    /// The question the scenario asks: its file's header comment (``ScenarioHeader``).
    public var question: String { ScenarioHeader.comment(of: sourceText) }

    /// Creates a scenario; `kpis` should resolve in ``MetricCatalogue/taskSystem``.
    public init(configuration: TaskSystemConfiguration, kpis: [KPI], sourcePath: String, sourceText: String = "") {
        self.configuration = configuration
        self.kpis = kpis
        self.sourcePath = sourcePath
        self.sourceText = sourceText
    }

    /// The metric catalogue of the task system.
    public var metrics: MetricCatalogue { .taskSystem }
}

extension TaskSystemScenario {
    /// Why the windowed KPI `kpi` (reading the summary `key`) cannot be judged on this
    /// scenario's per-window series, or `nil` when it can (see `series.window`).
    public func windowedProblem(_ kpi: KPI, key: String) -> String? {
        TaskSystemReader.windowedProblem(kpi, key: key, configuration: configuration)
    }
}
