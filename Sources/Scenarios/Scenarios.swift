// Scenarios — YAML scenario files decoded into validated value types, with errors that name the
// file, line, column and key path.
//
// - Loader: `ScenarioLoader.load(path:)` → `Scenario` (one case per `kind`), or `ScenarioErrors`.
// - Reader: a strict, kind-independent YAML layer — cursors with key paths, typed accessors,
//   unknown-key rejection with suggestions, durations, distributions; all errors collected.
// - Network: the `kind: network` format → `Sim.NetworkSpec`.
// - KPI: `p95(api.response) < 2s` expressions, checked against a `MetricCatalogue` per kind.
