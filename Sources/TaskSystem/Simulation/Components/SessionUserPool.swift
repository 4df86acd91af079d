import Sim

// MARK: - The registered users a session may be

/// The registered users not in a session now, from which a workload with turnover
/// (``WorkloadConfiguration/turnover``) draws the user of each new session: uniformly among
/// them, so that the users active at once are a changing subset of the registered ones and
/// nobody is in two sessions at once.
///
/// Kept in an array (draws swap the drawn user with the last and remove it), so a draw costs
/// O(1) and its outcome depends only on the order of draws and returns — the simulation's
/// event order — never on hashing.
struct SessionUserPool: Sendable {
    /// Users not in a session, in no meaningful order.
    private var free: [UserID]

    /// A pool of `users`, none of them in a session.
    init(users: [UserID]) {
        free = users
    }

    /// Users not in a session now.
    var count: Int { free.count }

    /// Draws a user not in a session from `stream` and takes it out of the pool; nil when every
    /// user is in a session.
    mutating func draw(_ stream: inout RandomStream) -> UserID? {
        guard !free.isEmpty else { return nil }
        let index = stream.uniformIndex(below: free.count)
        free.swapAt(index, free.count - 1)
        return free.removeLast()
    }

    /// `user`'s session ended: it may be drawn again.
    mutating func release(_ user: UserID) {
        free.append(user)
    }
}
