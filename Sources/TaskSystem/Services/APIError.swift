import Sim

// MARK: - Errors a request returns

/// Why a request failed, with the HTTP status the API answers.
public enum APIError: Error, Hashable, Sendable {
    /// 401: no session.
    case unauthenticated
    /// 404: the task, project or user does not exist (or is not visible).
    case notFound
    /// A domain rule refused the command (403, 409 or 422, see ``status``).
    case refused(DomainError)
    /// 429: the user's rate limit for the current window is spent.
    case rateLimited
    /// 503: no database connection within the pool timeout.
    case poolTimeout
    /// 500: a statement failed on a connection the server had closed (pre-ping off).
    case databaseConnectionLost
    /// 502: the load balancer's target crashed with the request inside, or was dead when the
    /// request reached it (before health checks took it out of service).
    case badGateway
    /// 503: the database refused a new connection (MySQL error 1040, `Too many connections`).
    case tooManyConnections
    /// 500: Redis (cache or broker) refused the connection (`redis.exceptions.ConnectionError`,
    /// uncaught in the seed's code): a `redis-outage`.
    case redisUnavailable
    /// 507: the database's volume is full (MySQL error 1114, `The table is full`).
    case storageFull
    /// 500: the primary is down (a `primary-failover` before the promotion): the connection
    /// fails (MySQL client error 2003, `Can't connect to MySQL server`), an `OperationalError`
    /// the seed's code does not catch.
    case databaseUnavailable

    /// The HTTP status code.
    public var status: Int {
        switch self {
        case .unauthenticated: 401
        case .notFound: 404
        case .rateLimited: 429
        case .poolTimeout: 503
        case .databaseConnectionLost: 500
        case .badGateway: 502
        case .tooManyConnections: 503
        case .storageFull: 507
        case .redisUnavailable: 500
        case .databaseUnavailable: 500
        case .refused(let error):
            switch error {
            case .forbidden, .forbiddenProfileEdit: 403
            case .versionConflict: 409
            default: 422
            }
        }
    }

    /// Client errors (4xx) are the API working as designed; server errors (5xx) count
    /// against the error rate.
    public var isServerError: Bool { status >= 500 }
}
