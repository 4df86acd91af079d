import Sim

// MARK: - Losing one replica

extension SimulatedDatabase {
    /// Replica `replica` is lost now: retired as `zone-loss` retires a zone's replicas — its
    /// statements in flight fail (``APIError/databaseConnectionLost``), the router skips it,
    /// clients forget its connections. Returns whether it was in service (a replica already
    /// retired, or one the run never had, loses nothing).
    func loseReplica(_ replica: Int) -> Bool {
        guard replicaNodes.indices.contains(replica), replicaServing[replica] else { return false }
        retireReplica(replica)
        return true
    }

    /// Replicas taking reads now.
    var replicasInService: Int { replicaServing.reduce(0) { $0 + ($1 ? 1 : 0) } }
}
