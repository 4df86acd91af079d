import Sim

// MARK: - Sampled latencies

/// A network-plus-server latency: a ``Distribution`` in seconds sampled from its own named
/// stream and rounded to simulated nanoseconds. Negative draws (a distribution that allows
/// them) are taken as zero. Shared by the simulated cache and the job broker.
struct LatencySampler: Sendable {
    /// The latency's distribution, in seconds.
    let distribution: Distribution
    /// The stream the draws come from (one per component).
    private var stream: RandomStream

    /// A sampler of `distribution` drawing from `stream`.
    init(_ distribution: Distribution, stream: RandomStream) {
        precondition((try? distribution.validate()) != nil, "invalid latency distribution \(distribution)")
        self.distribution = distribution
        self.stream = stream
    }

    /// The next latency.
    mutating func next() -> SimTime {
        max(0, SimClock.time(seconds: distribution.sample(&stream)))
    }
}
