import Sim

// MARK: - Links between tiers

/// The links a `latency-spike` slows: from the application to the database, to the shared
/// cache, and to the job broker.
public enum FaultLink: String, Sendable, CaseIterable {
    /// Every SQL statement: its outbound trip to the database tier takes longer. The API
    /// instances and the Celery workers share this network path (one `DatabaseClient` type).
    case apiDatabase = "api-database"
    /// Every Redis command of the shared cache (rate-limit checks, cache reads and writes,
    /// deletes, consistency markers).
    case apiCache = "api-cache"
    /// Every job publication to the broker.
    case apiQueue = "api-queue"
}

// MARK: - Slowing a link

extension FaultLink {
    /// Adds `extra` to every call on this link from now on (a negative `extra` takes it off
    /// again; overlapping spikes on one link add up).
    func addLatency(_ extra: SimTime, database: SimulatedDatabase, cache: SimulatedSharedCache,
                    jobs: SimulatedJobQueue) {
        switch self {
        case .apiDatabase: database.extraLatency += extra
        case .apiCache: cache.extraLatency += extra
        case .apiQueue: jobs.extraPublicationLatency += extra
        }
    }
}
