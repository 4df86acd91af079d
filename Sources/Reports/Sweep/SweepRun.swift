// SweepRun.swift — `simrun sweep`: every point of a parameter grid (or a shard's share), run and
// judged, into `sweep.json` and `sweep.md`.

import Foundation
import Scenarios

// MARK: - SweepRun

/// What `simrun sweep` does apart from parsing its arguments: load every point of its shard
/// (all of them checked before anything runs), run them in parallel, and write the folder.
public struct SweepRun: Sendable {
    /// A point ready to run: its number, settings and loaded scenario.
    public struct Point: Sendable {
        public let index: Int
        public let settings: [ParameterSetting]
        public let scenario: Scenario
    }

    public var path: String
    public var grid: SweepGrid
    public var shard: Shard
    /// `--seed` and `--replications`, applied to every point.
    public var overrides: ScenarioRun.Overrides
    /// The output folder; `reports/<name>-sweep/` when nil.
    public var outputFolder: String?
    /// Points run at once (each point's replications run one after another).
    public var threads: Int
    public var maxMemory: Int?

    public init(path: String, grid: SweepGrid, shard: Shard = .all, overrides: ScenarioRun.Overrides = .init(),
                outputFolder: String? = nil, threads: Int, maxMemory: Int? = nil) {
        self.path = path
        self.grid = grid
        self.shard = shard
        self.overrides = overrides
        self.outputFolder = outputFolder
        self.threads = threads
        self.maxMemory = maxMemory
    }

    // MARK: Preparing

    /// Loads every point of the shard and checks the output folder, before anything runs:
    /// throws ``ScenarioErrors`` (naming the `--param` of a bad value), ``ScenarioRun/UsageError``
    /// or ``OutputFolderError`` (all exit code 2).
    public func prepare() throws -> (scenario: Scenario, points: [Point], folder: OutputFolder) {
        // The scenario as the command line gives it, before any swept value: its name heads the
        // result (a shard may hold no point at all).
        let base = try ScenarioRun(path: path, overrides: overrides, threads: min(threads, 1), maxMemory: maxMemory).load()
        var points: [Point] = []
        for index in grid.points(in: shard) {
            let settings = grid.settings(of: index)
            var run = ScenarioRun(path: path, overrides: overrides, threads: min(threads, 1), maxMemory: maxMemory)
            run.overrides.settings = overrides.settings + settings
            points.append(Point(index: index, settings: settings, scenario: try run.load()))
        }
        let folder = try outputFolder.map { path throws(OutputFolderError) in try OutputFolder(userPath: path) }
            ?? OutputFolder(defaultFor: base.name + "-sweep")
        try folder.preflight()
        return (base, points, folder)
    }

    // MARK: Running

    /// Runs `points` of `scenario` (from ``prepare()``), `threads` at a time, and writes
    /// `sweep.json` and `sweep.md` into `folder`; `finished` is called as each point ends (in
    /// any order).
    public func execute(_ scenario: Scenario, _ points: [Point], into folder: OutputFolder,
                        finished: @escaping @Sendable (Int, RunReport) -> Void = { _, _ in }) async throws -> SweepResult {
        let reports = try await withThrowingTaskGroup(of: (Int, RunReport).self) { group in
            var next = 0
            var collected: [(Int, RunReport)] = []
            func addTask() {
                let position = next
                let point = points[position]
                group.addTask {
                    let report = try await RunReport.run(point.scenario, threads: 1)
                    finished(point.index, report)
                    return (position, report)
                }
                next += 1
            }
            while next < min(max(threads, 1), points.count) { addTask() }
            while let result = try await group.next() {
                collected.append(result)
                if next < points.count { addTask() }
            }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let result = SweepResult(
            header: SweepResult.header(scenario: scenario.name, path: path, grid: grid,
                                       seed: overrides.seed, replications: overrides.replications),
            shard: shard.count > 1 ? shard : nil, pointsTotal: grid.count,
            points: zip(points, reports).map { point, report in
                (point.index, SweepResult.point(index: point.index, settings: point.settings, report: report))
            })
        try folder.write(files: result.outputFiles)
        return result
    }
}

extension SweepResult {
    /// The files of a sweep folder: `sweep.json`, `sweep.md` and `sweep.sqlite`.
    public var outputFiles: [OutputFile] {
        [.text("sweep.json", json.serialized()), .text("sweep.md", markdown),
         .generated("sweep.sqlite") { path in try SweepDatabase.write(self, to: path) }]
    }
}
