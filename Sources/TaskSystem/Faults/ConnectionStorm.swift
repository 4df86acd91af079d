import Sim

// MARK: - A connection storm

/// The server connections a `connection-storm` holds open on one database instance: what it
/// took at its start, so that its end gives back exactly those (and nothing when the instance
/// went away meanwhile, taking its connections with it).
struct ConnectionStorm {
    /// The instance the connections are open on (the primary at the storm's start).
    let node: DatabaseNode
    /// The connections opened: the storm's `connections`, or fewer when `max_connections`
    /// left less room.
    let opened: Int
}

extension SimulatedDatabase {
    /// Opens up to `count` server connections on the primary now, as many as its
    /// `max_connections` leaves room for (the storm's own attempts beyond it are not counted as
    /// refused connections: only the application's are).
    func openStorm(of count: Int) -> ConnectionStorm {
        let node = primaryNode
        let opened = min(count, max(0, node.maxConnections - node.connections))
        for _ in 0..<opened { try? node.openConnection() }
        return ConnectionStorm(node: node, opened: opened)
    }

    /// Closes the storm's connections, if its instance is still the primary (a blue-green
    /// switch dropped every connection of the old one).
    func close(_ storm: ConnectionStorm) {
        guard storm.node === primaryNode else { return }
        for _ in 0..<storm.opened { storm.node.closeConnection() }
    }
}
