import Sim

// MARK: - A run's fault plan

/// What fails in a run, as data: the scenario's `faults:` entries in the order written
/// (`api.failures` and `jobs.worker_failures` are read into the same entries). Crashes go to
/// the machinery that already owns them (``instanceFailures`` for the API tier,
/// ``workerFailures`` for the job queues); the other faults are injected by the
/// `FaultInjector` component at their times. Empty by default: no fault, and the run is the
/// same as before faults existed.
public struct FaultPlan: Sendable, Equatable {
    /// The entries, in the order written.
    public var faults: [Fault]

    public init(_ faults: [Fault] = []) {
        self.faults = faults
    }

    /// No fault (the default).
    public static let none = FaultPlan()

    /// Whether the plan names no fault.
    public var isEmpty: Bool { faults.isEmpty }

    // MARK: What each component runs

    /// The API instance crashes of the plan on top of `base`: `base`'s MTBF unless the plan
    /// gives one, and `base`'s scripted times plus each `instance-crash` entry's time, `count`
    /// times (the API tier crashes the oldest instance in service at each).
    public func instanceFailures(over base: InstanceFailures = .none) -> InstanceFailures {
        var mtbf = base.meanTimeBetweenFailures
        var times = base.at
        for fault in faults {
            switch fault {
            case .instanceCrash(let at, let count): times += Array(repeating: at, count: count)
            case .randomInstanceCrashes(let mean): mtbf = mean
            default: break
            }
        }
        return InstanceFailures(meanTimeBetweenFailures: mtbf, at: times)
    }

    /// The Celery worker crashes of the plan, or `base` when the plan has none.
    public func workerFailures(over base: WorkerFailures?) -> WorkerFailures? {
        for case .randomWorkerCrashes(let mtbf, let restart, let queue) in faults {
            return WorkerFailures(meanTimeBetweenFailures: mtbf, restart: restart, queue: queue)
        }
        return base
    }

    /// Whether the plan crashes API instances other than through ``instanceFailures`` (a zone
    /// loss): the API tier then runs each request as its own process, so that a crash answers it.
    public var crashesInstances: Bool {
        faults.contains { $0.kind == .zoneLoss }
    }

    /// Whether the plan crashes Celery workers at scripted times (`worker-crash` with `at`): the
    /// job queues then run each handler as its own process, so that a crash can abandon it.
    public var scriptsWorkerCrashes: Bool {
        faults.contains { if case .workerCrash = $0 { true } else { false } }
    }

    /// The faults the `FaultInjector` injects (every kind but the crashes the API tier and the
    /// job queues run themselves; scripted worker crashes are injected), in the order written.
    public var injected: [Fault] {
        faults.filter { fault in
            switch fault {
            case .instanceCrash, .randomInstanceCrashes, .randomWorkerCrashes: false
            default: true
            }
        }
    }
}
