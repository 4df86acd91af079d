import Sim

// MARK: - A client's server connections

/// The server connections behind one client's QueuePool, per database instance.
///
/// SQLAlchemy's `QueuePool` opens connections lazily and keeps them open; a pooled connection
/// here is a connection to the instance its last query ran on (the router picks the instance per
/// query). So: a checked-out connection whose query goes to instance `s` reuses an idle
/// connection already open to `s`, or opens a new one there — and, if the pool has no room for
/// another open connection (`pool_size` + overflow now open), first closes an idle connection
/// to another instance (the lowest slot first). When the pool closes an overflow connection at
/// check-in, an idle one is closed too. Opening beyond the instance's `max_connections` fails
/// with ``APIError/tooManyConnections``. Connections to an instance that went away (a
/// blue-green switch, a retired replica: its slot's generation changed) are forgotten.
struct ServerConnections {
    /// Open and idle connections per slot (0: the primary, 1 + n: replica n), and the slot's
    /// generation they belong to.
    var open: [Int] = []
    var idle: [Int] = []
    var generation: [Int] = []
    var total = 0

    /// Forgets connections of slots whose instance changed.
    mutating func refresh(_ slot: Int, in database: SimulatedDatabase) {
        while open.count <= slot {
            open.append(0)
            idle.append(0)
            generation.append(database.generations[open.count - 1])
        }
        if generation[slot] != database.generations[slot] {
            total -= open[slot]
            open[slot] = 0
            idle[slot] = 0
            generation[slot] = database.generations[slot]
        }
    }

    /// Binds the connection just checked out to `node`; `budget` is the pool's open connections.
    mutating func bind(to node: StoreNode, in database: SimulatedDatabase, budget: Int) throws(APIError) {
        let slot = SimulatedDatabase.slot(of: node)
        refresh(slot, in: database)
        if idle[slot] > 0 {
            idle[slot] -= 1
            return
        }
        if total >= budget, let other = idle.firstIndex(where: { $0 > 0 }) {
            close(other, in: database)
        }
        try database.instance(of: node).openConnection()
        open[slot] += 1
        total += 1
    }

    /// The connection bound to `node` was checked in; `budget` is the pool's open connections now.
    mutating func release(from node: StoreNode, in database: SimulatedDatabase, budget: Int) {
        let slot = SimulatedDatabase.slot(of: node)
        if generation[slot] != database.generations[slot] {
            refresh(slot, in: database)  // the instance went away with the connection
        } else {
            idle[slot] += 1
        }
        while total > budget {
            let victim = idle[slot] > 0 ? slot : idle.firstIndex { $0 > 0 }
            guard let victim else { return }
            close(victim, in: database)
        }
    }

    /// Closes idle connections until no more are open than the pool holds.
    mutating func trim(in database: SimulatedDatabase, budget: Int) {
        while total > budget, let victim = idle.firstIndex(where: { $0 > 0 }) { close(victim, in: database) }
    }

    /// Closes every connection, idle or in use (the client's pool closed with its instance).
    mutating func closeAll(in database: SimulatedDatabase) {
        for slot in open.indices {
            if generation[slot] == database.generations[slot] {
                let node: StoreNode = slot == 0 ? .primary : .replica(slot - 1)
                for _ in 0..<open[slot] { database.instance(of: node).closeConnection() }
            }
            open[slot] = 0
            idle[slot] = 0
        }
        total = 0
    }

    mutating func close(_ slot: Int, in database: SimulatedDatabase) {
        guard generation[slot] == database.generations[slot] else {
            refresh(slot, in: database)  // already closed with its instance
            return
        }
        idle[slot] -= 1
        open[slot] -= 1
        total -= 1
        let node: StoreNode = slot == 0 ? .primary : .replica(slot - 1)
        database.instance(of: node).closeConnection()
    }
}
