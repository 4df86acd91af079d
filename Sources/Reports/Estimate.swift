import Sim

// MARK: - Estimates across replications

/// A statistic across replications: the mean and the Student-t 95 % half-width (`nil` for a
/// single replication), written as `{"mean": x, "ci95": h}`.
public struct Estimate: Sendable, Equatable {
    public var mean: Double
    public var ci95: Double?

    /// The estimate from one value per replication. A replication without a value (NaN: no
    /// observation after the warm-up) makes the estimate NaN, written as `null`: an average
    /// over the replications that happened to have data would be biased.
    public init(replicationValues values: [Double]) {
        if values.contains(where: { !$0.isFinite }) {
            mean = .nan
            ci95 = nil
            return
        }
        let estimate = ReplicationEstimate(values)
        mean = estimate.mean
        ci95 = estimate.halfWidth
    }

    /// `{"mean": x, "ci95": h}` (null for a missing half-width or a non-finite mean).
    public var json: JSONValue {
        .object([("mean", .finite(mean)), ("ci95", ci95.map(JSONValue.finite) ?? .null)])
    }
}
