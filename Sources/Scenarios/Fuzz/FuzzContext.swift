// FuzzContext.swift — what the fault and parameter generators know of the scenario they fuzz.

import Foundation
import Sim
import TaskSystem
import Yams

// MARK: - FuzzContext

/// The scenario as the generators see it: its length (fault times fall inside the measured
/// part), its API tier's bounds, and which keys the file writes (a generator never draws a
/// value the file's other keys would make invalid).
public struct FuzzContext: Sendable, Equatable {
    /// Simulated length and warm-up, in whole seconds.
    public var durationSeconds: Int
    public var warmupSeconds: Int
    /// Instances at the start, and the autoscaler's bounds when it has one.
    public var instances: Int
    public var autoscalingRange: ClosedRange<Int>?
    /// Users active at once when the file writes `users.concurrent` (nil: a `load:` profile, or
    /// neither key — the load is not scaled).
    public var concurrentUsers: Int?
    /// Whether the file writes `database.tiers` (replica counts then come from the tier table).
    public var databaseTiers: Bool
    /// Replicas the database starts with: the file's, or the drawn `database.replicas` once a
    /// run drew one (a replica fault names one of these).
    public var replicas: Int
    /// The invariants the file's `accept:` lists (a plan's `accept` keeps them).
    public var acceptedLosses: [String]

    public init(durationSeconds: Int, warmupSeconds: Int, instances: Int, autoscalingRange: ClosedRange<Int>?,
                concurrentUsers: Int?, databaseTiers: Bool, replicas: Int = 0, acceptedLosses: [String] = []) {
        self.durationSeconds = durationSeconds
        self.warmupSeconds = warmupSeconds
        self.instances = instances
        self.autoscalingRange = autoscalingRange
        self.concurrentUsers = concurrentUsers
        self.databaseTiers = databaseTiers
        self.replicas = replicas
        self.acceptedLosses = acceptedLosses
    }

    /// The context of a loaded task-system scenario (its file text tells which keys it writes).
    public init(_ scenario: TaskSystemScenario) {
        let configuration = scenario.configuration
        let root = (try? Yams.compose(yaml: scenario.sourceText)) ?? nil
        let users = root?.mapping?["users"]?.mapping
        let database = root?.mapping?["database"]?.mapping
        var concurrent: Int?
        if users?["concurrent"] != nil, root?.mapping?["load"] == nil, case .constant(let count) = configuration.workload.load {
            concurrent = count
        }
        let autoscaling = configuration.api.autoscaling
        self.init(durationSeconds: Int(configuration.duration / SimClock.nanosecondsPerSecond),
                  warmupSeconds: Int(configuration.warmup / SimClock.nanosecondsPerSecond),
                  instances: configuration.api.instances,
                  autoscalingRange: autoscaling.map { $0.minimum...max($0.minimum, $0.maximum) },
                  concurrentUsers: concurrent, databaseTiers: database?["tiers"] != nil,
                  replicas: configuration.database.startingTopology(
                      activeUsers: configuration.workload.load.users(at: 0)).replicas,
                  acceptedLosses: configuration.acceptedLosses.map(\.rawValue))
    }

    /// A fault lasting `seconds` from `at`, cut to end by the run's end (at least 1 s).
    func lasting(_ seconds: Int, from at: Int) -> Int {
        max(1, min(seconds, durationSeconds - at))
    }

    /// Whole seconds inside the measured part of the run, where a scripted fault starts.
    public var measuredSeconds: ClosedRange<Int> {
        let first = min(warmupSeconds, max(0, durationSeconds - 1))
        return first...max(first, durationSeconds - 1)
    }
}

// MARK: - Drawing within bounds

extension RandomStream {
    /// A uniform integer in `range`.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + uniformIndex(below: range.upperBound - range.lowerBound + 1)
    }

    /// A log-uniform value in `range` (each factor of two equally likely), `range.lowerBound > 0`.
    mutating func logUniform(in range: ClosedRange<Double>) -> Double {
        guard range.upperBound > range.lowerBound else { return range.lowerBound }
        let low = log(range.lowerBound), high = log(range.upperBound)
        return exp(low + (high - low) * uniform())
    }

    /// `true` with probability one half (a swarm draw: is this feature in the run?).
    mutating func coin() -> Bool { next() & 1 == 1 }
}
