// WorkerChildRecycling.swift — `worker_max_tasks_per_child`: pool processes replaced after N tasks.
//
// Semantics (Celery configuration reference, `worker_max_tasks_per_child`): the maximum number of
// tasks a pool worker process can execute before it is replaced with a new one (default: no
// limit; the seed sets 1000). The replacement's start-up time is a model parameter.

import Sim

// MARK: - Rule

/// When pool child processes are recycled, and what a restart costs.
public struct WorkerChildRecycling: Sendable, Equatable {
    /// Tasks per child before replacement; `nil` never recycles.
    public var maxTasksPerChild: Int?
    /// How long the slot is unavailable while the replacement process starts.
    public var restartCost: SimTime

    /// Creates a recycling rule.
    public init(maxTasksPerChild: Int?, restartCost: SimTime) {
        precondition(maxTasksPerChild.map { $0 >= 1 } ?? true, "WorkerChildRecycling: limit must be ≥ 1")
        precondition(restartCost >= 0, "WorkerChildRecycling: restart cost must be ≥ 0")
        self.maxTasksPerChild = maxTasksPerChild
        self.restartCost = restartCost
    }

    /// The seed's 1000 tasks per child, with a restart cost to choose (1 s by default: fork and
    /// re-import the application).
    public static func seed(restartCost: SimTime = SimClock.nanosecondsPerSecond) -> WorkerChildRecycling {
        WorkerChildRecycling(maxTasksPerChild: 1000, restartCost: restartCost)
    }
}

// MARK: - Child process

/// One pool child process's task counter.
public struct WorkerChildProcess: Sendable, Equatable {
    /// Tasks finished by the current process.
    public private(set) var tasksCompleted = 0
    /// How many times the slot's process has been replaced.
    public private(set) var restarts = 0

    /// A fresh process.
    public init() {}

    /// Records a finished task. Returns the restart cost when this task was the process's last
    /// (the slot is then unavailable for that long), or `nil` when the process carries on.
    public mutating func completeTask(under rule: WorkerChildRecycling) -> SimTime? {
        tasksCompleted += 1
        guard let limit = rule.maxTasksPerChild, tasksCompleted >= limit else { return nil }
        tasksCompleted = 0
        restarts += 1
        return rule.restartCost
    }
}
