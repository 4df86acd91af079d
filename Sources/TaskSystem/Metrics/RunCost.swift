import Sim

// MARK: - What a run costs

/// The dollars a run has accrued by some moment, by part: API tasks, database instances, the
/// Redis node and Celery workers. One computation for the whole-run `cost.*` metrics and the
/// per-window `cost.total` series, so that the windows add up to the run.
struct RunCost {
    /// API instance-hours (launch to retirement) × the task's hourly price.
    let api: Double
    /// Every database instance from its creation until it is decommissioned, at its class's price.
    let database: Double
    /// The Redis node for the whole time (it exists from the start), at its node type's price.
    let cache: Double
    /// Worker-hours (active Celery worker processes over time) × a worker's hourly price.
    let workers: Double

    /// Everything together.
    var total: Double { api + database + cache + workers }

    /// What `world` has accrued by `end` (the run's start is time 0).
    init(of world: TaskSystemWorld, until end: SimTime) {
        let hours = SimClock.seconds(end) / 3600
        api = world.instanceHours(until: end) * world.api.configuration.hourlyPrice
        database = world.database.instanceCost(until: end)
        cache = hours * (world.cache.configuration.node?.hourlyPrice ?? 0)
        let workerSeconds = JobQueueName.allCases.reduce(0.0) {
            $0 + world.jobs.metrics(for: $1).workers.area(at: SimClock.seconds(end))
        }
        workers = workerSeconds / 3600 * world.jobs.configuration.workerHourlyPrice
    }
}
