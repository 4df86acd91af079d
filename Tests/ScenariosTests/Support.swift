// Support.swift — fixtures written to temporary files, and error rendering for exact comparisons.

import Foundation
import Testing
@testable import Scenarios
import Sim

// MARK: - Fixtures

enum Fixture {
    /// Writes `yaml` to a fresh temporary file and returns its path; pair with ``remove(_:)``.
    static func write(_ yaml: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("simrun-scenarios-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("scenario.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Removes a file made by ``write(_:)`` with its temporary folder.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// Loads `yaml` through a temporary file; the file is removed afterwards.
    static func load(_ yaml: String) throws -> Scenario {
        let path = try write(yaml)
        defer { remove(path) }
        return try ScenarioLoader.load(path: path)
    }

    /// The network scenario `yaml` decodes to.
    static func network(_ yaml: String) throws -> NetworkScenario {
        switch try load(yaml) {
        case .network(let scenario): return scenario
        case .taskSystem: throw FixtureError.wrongKind
        }
    }

    /// The task-system scenario `yaml` decodes to.
    static func taskSystem(_ yaml: String) throws -> TaskSystemScenario {
        switch try load(yaml) {
        case .taskSystem(let scenario): return scenario
        case .network: throw FixtureError.wrongKind
        }
    }

    /// A scenario of another kind than the test expected.
    enum FixtureError: Error { case wrongKind }

    /// The errors of `yaml`, rendered `line:column: keyPath: message` (file left out); records an
    /// issue if it loads.
    static func errors(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        do {
            _ = try load(yaml)
            Issue.record("expected errors, but the scenario loaded", sourceLocation: sourceLocation)
            return []
        } catch let errors as ScenarioErrors {
            return errors.errors.map(render)
        }
    }

    /// `line:column: keyPath: message`, the description without the file.
    static func render(_ error: ScenarioError) -> String {
        let path = error.keyPath.isEmpty ? "" : error.keyPath + ": "
        return "\(error.line):\(error.column): \(path)\(error.message)"
    }

    /// A minimal valid network around `stations`, for tests of one section.
    static func minimal(duration: String = "10", warmup: String? = nil) -> String {
        """
        kind: network
        name: minimal
        duration: \(duration)
        \(warmup.map { "warmup: \($0)" } ?? "")
        stations:
          - {name: api, service: {distribution: exponential, mean: 1}}
        arrivals:
          - {class: web, station: api, interarrival: {distribution: exponential, mean: 2}}
        """
    }
}

/// Seconds as ``SimTime``.
func seconds(_ value: Int64) -> SimTime { value * 1_000_000_000 }
