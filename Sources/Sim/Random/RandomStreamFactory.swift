// RandomStreamFactory.swift — named, independent random streams for one replication.

/// Hands out independent, reproducible random streams by name.
///
/// Each stream's seed is a pure function of `(rootSeed, replication, name)`:
///
/// 1. `r = splitmix64(rootSeed)`
/// 2. `p = splitmix64(r ^ UInt64(bitPattern: replication))`
/// 3. `seed = splitmix64(p ^ fnv1a64(utf8 bytes of name))`
///
/// where `splitmix64(x)` is the first output of splitmix64 started at `x`. The stream is then
/// `RandomStream(seed: seed)` (splitmix64 expansion to four words, as the C shim's `xoshiro_set`).
///
/// Consequences:
/// - The factory holds no mutable state: asking for a stream never shifts another stream's draws,
///   and the order in which streams are created does not matter.
/// - Every step is a bijection of its varying input, so for a fixed root seed and name,
///   different replications always give different seeds; for a fixed root seed and replication,
///   names with different FNV-1a hashes always give different seeds.
/// - Names are hashed by their UTF-8 bytes, without Unicode normalisation.
/// - Nothing uses Swift's `Hasher`, which is randomised per process.
public struct RandomStreamFactory: Sendable, Hashable {
    /// The root seed of the experiment.
    public let rootSeed: UInt64
    /// The replication number; each replication gets its own set of streams.
    public let replication: Int

    // MARK: - Creating a factory

    /// Creates a factory for replication `replication` of the experiment seeded with `rootSeed`.
    public init(rootSeed: UInt64, replication: Int = 0) {
        self.rootSeed = rootSeed
        self.replication = replication
    }

    // MARK: - Streams

    /// Returns the stream called `name`, positioned at its first draw.
    ///
    /// Calling this twice with the same name returns two equal streams (they draw alike).
    public func stream(named name: String) -> RandomStream {
        RandomStream(seed: seed(named: name))
    }

    /// Returns the 64-bit seed of the stream called `name` (for logs and reports).
    public func seed(named name: String) -> UInt64 {
        var root = SplitMix64(state: rootSeed)
        var perReplication = SplitMix64(state: root.next() ^ UInt64(truncatingIfNeeded: replication))
        var perName = SplitMix64(state: perReplication.next() ^ fnv1a64(name.utf8))
        return perName.next()
    }

    /// Returns the factory for another replication of the same experiment.
    public func replication(_ replication: Int) -> RandomStreamFactory {
        RandomStreamFactory(rootSeed: rootSeed, replication: replication)
    }
}
