import Sim

// MARK: - What the background jobs do

/// The job handlers (the seed's Celery tasks), real code against the repository port of the
/// worker process that runs them (each has its own engine and pool): an
/// email or push reads the recipient and the task from a replica, then calls the gateway,
/// which sometimes fails (and Celery retries); a report reads the project's tasks and renders.
final class JobHandlers: @unchecked Sendable {
    let runtime: ProcessRuntime
    let external: ExternalServices
    var stream: RandomStream

    /// A gateway refused the call.
    struct GatewayFailure: Error {}

    init(runtime: ProcessRuntime, external: ExternalServices, streams: RandomStreamFactory) {
        self.runtime = runtime
        self.external = external
        stream = streams.stream(named: "jobs.handlers")
    }

    /// Runs `job` on `repository`, the database client of the worker process that took it.
    func handle(_ job: Job, using repository: DatabaseClient) async throws {
        switch job {
        case .sendEmail(let user, let task):
            guard try await repository.user(user, consistency: .replica) != nil,
                  try await repository.task(task, consistency: .replica) != nil else { return }
            try await call(latency: external.emailLatency, failure: external.emailFailureProbability)
        case .sendPush(let user, let task):
            guard try await repository.user(user, consistency: .replica) != nil,
                  try await repository.task(task, consistency: .replica) != nil else { return }
            try await call(latency: external.pushLatency, failure: external.pushFailureProbability)
        case .generateReport(let project, _):
            _ = try await repository.tasksWithAssignees(inProject: project, consistency: .replica)
            try await runtime.sleep(for: SimClock.time(seconds: external.reportRendering.sample(&stream)))
        case .cleanup:
            try await runtime.sleep(for: SimClock.time(seconds: 1))
        }
    }

    func call(latency: Distribution, failure: Double) async throws {
        try await runtime.sleep(for: SimClock.time(seconds: latency.sample(&stream)))
        if stream.uniform() < failure { throw GatewayFailure() }
    }
}
