import Sim

// MARK: - Who uses the system, and how

/// The user population and its behaviour.
public struct WorkloadConfiguration: Sendable, Equatable {
    /// Registered users, projects and tasks in the database at the start.
    public var data: SeedPlan
    /// Users active at once over time: each active user runs sessions of requests separated
    /// by think times; user `i` is active while `i < load.users(at: now)`.
    public var load: LoadProfile
    /// How often an inactive user checks whether the profile has reached it.
    public var activationCheck: SimTime
    /// Think time between a user's requests, in seconds.
    public var thinkTime: Distribution
    /// The endpoint mix of a session.
    public var mix: EndpointMix
    /// Requests per session; a new session starts with a login.
    public var requestsPerSession: Distribution
    /// After a successful write the UI re-reads the task (the read-your-writes case).
    public var refreshAfterWrite: Bool
    /// Think time before that re-read, in seconds.
    public var refreshDelay: Distribution
    /// Project memberships an admin removes per hour (a Poisson process; 0: none). An
    /// assumption — the seed gives no figure: a few revocations an hour in an organisation
    /// of a thousand users. What makes cached permissions go stale.
    public var permissionRevocationsPerHour: Double = 10
    /// Each session is another registered user: `false` (the default), user process `i` is
    /// registered user `i` in every session, so the same users stay active for the whole run;
    /// `true`, a process whose session ends (after ``requestsPerSession``) is replaced by a
    /// user drawn uniformly from the registered users (with a project) not in a session — the
    /// users active at once are a changing subset of the registered ones, and each new session
    /// may meet cold caches. Draws from the stream `session.<index>` of user process `index`.
    public var turnover = false

    public init(data: SeedPlan = SeedPlan.scaled(users: 1_000), load: LoadProfile = .constant(users: 100),
                activationCheck: SimTime = 10 * SimClock.nanosecondsPerSecond,
                thinkTime: Distribution = .exponential(mean: 10), mix: EndpointMix = .standard,
                requestsPerSession: Distribution = .exponential(mean: 30), refreshAfterWrite: Bool = true,
                refreshDelay: Distribution = .exponential(mean: 1)) {
        self.data = data
        self.load = load
        self.activationCheck = activationCheck
        self.thinkTime = thinkTime
        self.mix = mix
        self.requestsPerSession = requestsPerSession
        self.refreshAfterWrite = refreshAfterWrite
        self.refreshDelay = refreshDelay
    }
}
