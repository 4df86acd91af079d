import Sim

// MARK: - What the users saw

/// Requests and sessions counted at the client — from a user sending a request to the user
/// having its answer, whatever answered it (the CDN edge, an instance, an error) — and the area
/// under the users-in-session curve. The figures of the closed population that Little's law
/// relates (`users.in_session` = `users.requests`/s × (response time + think time per request)),
/// counted independently of the API tier's own counters.
struct ClientCounters: Sendable, Equatable {
    /// Answers users received (every request, the session's login and the UI's re-reads included).
    var answered = 0
    /// Of ``answered``: the logins that open sessions (no think time before them).
    var logins = 0
    /// Of ``answered``: the UI's re-reads after a write (the refresh delay before them, not a think time).
    var refreshes = 0
    /// Think times in a session that ended without a request, because the load profile no longer
    /// had the user active when it ended.
    var departures = 0
    /// Summed response times of ``answered``, nanoseconds.
    var responseTime: SimTime = 0
    /// The integral of the users in session over time, user-seconds.
    var userSeconds = 0.0

    /// The counts between `start` and `self`.
    static func - (end: ClientCounters, start: ClientCounters) -> ClientCounters {
        ClientCounters(answered: end.answered - start.answered, logins: end.logins - start.logins,
                       refreshes: end.refreshes - start.refreshes, departures: end.departures - start.departures,
                       responseTime: end.responseTime - start.responseTime,
                       userSeconds: end.userSeconds - start.userSeconds)
    }
}
