// MemoryEstimate.swift — a scenario's peak memory, estimated from its values before it runs.

import Sim
import TaskSystem

// MARK: - MemoryEstimate

/// The peak resident memory a run of a scenario is expected to need, and the keys that drive it.
///
/// A pure function of the scenario's values and the number of replications run at once
/// (`min(threads, replications)`: every such replication holds its own world). `simrun run`
/// refuses a scenario whose estimate exceeds the limit (the machine's physical memory, or
/// `--max-memory`) before anything runs.
///
/// **Calibration.** The per-unit costs were measured on the release build (Swift 6.3.1,
/// x86_64 Linux) as peak RSS (`/usr/bin/time -v`, "Maximum resident set size") of 30-second
/// runs, one replication, `--threads 1`, of variants of `scenarios/baseline-1k.yaml`, taking the
/// slope between two sizes of one key with the others fixed:
///
/// | key varied                          | sizes            | peak RSS           | slope             |
/// |-------------------------------------|------------------|--------------------|-------------------|
/// | `users.registered` (50 tasks/proj.) | 1k, 100k, 300k   | 33, 194, 533 MB    | 1.7 KB per user   |
/// | `users.tasks_per_project` (10k u.)  | 20, 200          | 41, 87 MB          | 251 B per task    |
/// | `users.concurrent` (100k users)     | 10k, 30k         | 386, 696 MB        | 15.5 KB per user  |
/// | `api.instances`                     | 4, 400           | 33, 44 MB          | 27 KB per instance|
/// | `jobs.pools.high.workers` (× 10)    | 4, 4k, 40k       | 32, 100, 706 MB    | 1.7 KB per consumer|
/// | `duration` (2 users)                | 1 h, 48 h        | 33.1, 34.2 MB      | 415 B per minute  |
///
/// A registered user's 1.7 KB splits into its five tasks (5 × 251 B) and about 450 B of its
/// own (the user row, its memberships, its share of a project). The per-entry cost of an
/// instance's local cache (200 B) and of a network customer (100 B) come from their data
/// layouts, not from a measurement. The estimate leaves out a backlog that grows without bound
/// (an overloaded run); local caches are counted full.
public struct MemoryEstimate: Sendable, Equatable {
    /// One key's part of the estimate.
    public struct Driver: Sendable, Equatable {
        /// The key (or keys) of the scenario, e.g. `users.registered`.
        public let key: String
        /// Bytes attributed to it (all replications run at once included).
        public let bytes: Double
        /// Its share of the total, 0…1.
        public let share: Double
    }

    /// The estimated peak, in bytes (a `Double`: hostile values must not overflow).
    public let bytes: Double
    /// The parts, largest first (ties by key).
    public let drivers: [Driver]

    // MARK: Per-unit costs (see the calibration above)

    /// The process itself: runtime, code, GSL, the scenario, before any world exists.
    static let processBytes = 30e6
    /// A registered user: its row, memberships and share of a project, tasks excluded.
    static let bytesPerUser = 450.0
    /// A project row and its membership index, beyond what its users carry.
    static let bytesPerProject = 500.0
    /// A task row (with its versions and indexes).
    static let bytesPerTask = 251.0
    /// A user active at once: its process, session state and requests in flight.
    static let bytesPerConcurrentUser = 15_500.0
    /// An API instance: its CPU, pool, balancer entry and empty local cache.
    static let bytesPerInstance = 27_000.0
    /// An entry of an instance's local cache (layout estimate).
    static let bytesPerLocalCacheEntry = 200.0
    /// A Celery consumer process (a worker runs `concurrency` of them).
    static let bytesPerConsumer = 1_700.0
    /// A customer of a queueing network (layout estimate).
    static let bytesPerCustomer = 100.0
    /// A minute of simulated time: the per-minute series every run keeps.
    static let bytesPerSimulatedMinute = 415.0

    // MARK: Estimating

    /// The estimate for `scenario` with `threads` replications run at once (at most its
    /// replications).
    public static func of(_ scenario: Scenario, threads: Int) -> MemoryEstimate {
        switch scenario {
        case .taskSystem(let scenario):
            let configuration = scenario.configuration
            return make(parts: taskSystemParts(configuration),
                        atOnce: min(max(threads, 1), max(configuration.replications, 1)))
        case .network(let scenario):
            let customers = scenario.spec.closedClasses.reduce(0.0) { $0 + Double($1.population) }
            return make(parts: [("populations[].size", customers * bytesPerCustomer)],
                        atOnce: min(max(threads, 1), max(scenario.spec.replications, 1)))
        }
    }

    /// The parts of one task-system replication, in bytes.
    static func taskSystemParts(_ configuration: TaskSystemConfiguration) -> [(String, Double)] {
        let data = configuration.workload.data
        let users = Double(data.users), projects = Double(data.projects)
        let tasks = projects * Double(data.tasksPerProject)
        var instances = Double(configuration.api.instances)
        if let autoscaling = configuration.api.autoscaling {
            instances = max(instances, Double(autoscaling.maximum))
        }
        let rows = users + projects + tasks
        let cacheEntries = min(Double(configuration.api.localCacheCapacity), rows)
        let consumers = configuration.jobs.pools.queues.reduce(0.0) {
            $0 + Double($1.workers) * Double($1.concurrency)
        }
        return [
            ("users.registered", users * bytesPerUser),
            ("users.projects", projects * bytesPerProject),
            ("users.tasks_per_project", tasks * bytesPerTask),
            ("users.concurrent / load", Double(configuration.workload.load.maxUsers) * bytesPerConcurrentUser),
            ("api.instances / api.autoscaling.max", instances * bytesPerInstance),
            ("api.local_cache_entries", instances * cacheEntries * bytesPerLocalCacheEntry),
            ("jobs.pools (workers × concurrency)", consumers * bytesPerConsumer),
            ("duration", SimClock.seconds(configuration.duration) / 60 * bytesPerSimulatedMinute),
        ]
    }

    /// The estimate from one replication's `parts`, `atOnce` of them at a time.
    static func make(parts: [(String, Double)], atOnce: Int) -> MemoryEstimate {
        let scaled = parts.map { ($0.0, $0.1 * Double(atOnce)) }
        let total = processBytes + scaled.reduce(0) { $0 + $1.1 }
        let drivers = scaled
            .filter { $0.1 > 0 }
            .map { Driver(key: $0.0, bytes: $0.1, share: $0.1 / total) }
            .sorted { ($0.bytes, $1.key) > ($1.bytes, $0.key) }
        return MemoryEstimate(bytes: total, drivers: drivers)
    }

    // MARK: Describing

    /// E.g. `about 1.5 TB: users.concurrent / load 99 % (1.5 TB), …` — the drivers above 1 %.
    public func describe() -> String {
        let parts = drivers.filter { $0.share >= 0.01 }.prefix(4).map {
            "\($0.key) \(Int(($0.share * 100).rounded())) % (\(Self.format($0.bytes)))"
        }
        return "about \(Self.format(bytes))" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    /// Bytes in binary units with three significant figures: `512 MiB`, `1.50 GiB`.
    public static func format(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        let text = value >= 100 || index == 0 ? String(Int(value.rounded()))
            : value >= 10 ? String(format1: value) : String(format2: value)
        return "\(text) \(units[index])"
    }
}

// MARK: - Number formatting

private extension String {
    /// `value` with one decimal.
    init(format1 value: Double) { self = String(Int((value * 10).rounded()) / 10) + "." + String(Int((value * 10).rounded()) % 10) }
    /// `value` with two decimals.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = String(hundredths / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}

// MARK: - The limit

extension MemoryEstimate {
    /// A memory limit written on the command line (`4GiB`, `512MB`, `1 TiB`); the message says
    /// what is wrong otherwise.
    public static func limit(from text: String) -> Result<Int, LimitError> {
        do {
            return .success(try ByteSize.bytes(from: text))
        } catch {
            return .failure(LimitError(message: error.message))
        }
    }

    /// A memory limit that cannot be read.
    public struct LimitError: Error, Sendable {
        public let message: String
    }

    /// The refusal message when the estimate exceeds `limit` bytes, or `nil` when it fits.
    public func refusal(limit: Int, limitSource: String) -> String? {
        guard bytes > Double(limit) else { return nil }
        return "the run would need \(describe()); that exceeds \(limitSource) "
            + "(\(Self.format(Double(limit)))). Lower the values of the keys named, or raise the limit with --max-memory"
    }
}
