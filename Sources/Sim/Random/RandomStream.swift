// RandomStream.swift — one xoshiro256** random stream, with an inlined fast path.
//
// The generator state lives inline in the value (four 64-bit words, no allocation). The hot
// draws — `next()`, `uniform()`, `uniform(in:)`, `exponential(mean:)`, `uniformIndex(below:)` —
// are `@inlinable`, so client modules specialise and inline them. The GSL-backed draws
// (gamma, lognormal, …) live in `RandomStream+GSL.swift` and pass the same state to the C shim,
// so both paths consume one and the same sequence.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic stream of pseudo-random numbers: xoshiro256** (Blackman & Vigna, 2018).
///
/// `RandomStream` is a value type. Copying it forks the stream: the copy produces the same
/// draws as the original from that point on. Draws mutate the value, so pass it `inout`.
///
/// Obtain streams from a ``RandomStreamFactory`` (named, independent streams per replication),
/// or directly with ``init(seed:)``.
///
/// The sequence is bit-for-bit identical to the C shim's `cgsl_xoshiro256ss_next`, and
/// ``init(seed:)`` expands a seed exactly as the shim's GSL generator type does in `gsl_rng_set`.
public struct RandomStream: Sendable {
    /// The generator state: four 64-bit words, never all zero.
    ///
    /// A homogeneous tuple, laid out contiguously, so it can be handed to C as `uint64_t[4]`.
    public typealias State = (UInt64, UInt64, UInt64, UInt64)

    // MARK: - Storage

    /// The xoshiro256** state words.
    @usableFromInline
    internal var words: State

    // MARK: - Creating a stream

    /// Creates a stream from an explicit generator state, e.g. one saved with ``state``.
    ///
    /// - Precondition: at least one word is nonzero (the all-zero state is a fixed point).
    @inlinable
    public init(state: State) {
        precondition(state != (0, 0, 0, 0), "RandomStream: the all-zero xoshiro256** state is invalid")
        self.words = state
    }

    /// Creates a stream from a 64-bit seed, expanding it to four words with splitmix64.
    ///
    /// This is the expansion `gsl_rng_set` performs for the shim's xoshiro256** GSL type, so
    /// `RandomStream(seed: s)` and a GSL generator set to `s` produce the same draws.
    /// Every seed, including 0, gives a valid (nonzero) state.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        self.words = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    /// The current generator state. Pass it to ``init(state:)`` to resume the stream later.
    @inlinable
    public var state: State { words }

    // MARK: - Raw output

    /// Returns the next 64 random bits and advances the stream by one step.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(words.1 &* 5, by: 7) &* 9
        let t = words.1 &<< 17
        words.2 ^= words.0
        words.3 ^= words.1
        words.1 ^= words.2
        words.0 ^= words.3
        words.2 ^= t
        words.3 = Self.rotateLeft(words.3, by: 45)
        return result
    }

    /// Rotates `x` left by `k` bits (0 < k < 64).
    @inlinable @inline(__always)
    internal static func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x &<< k) | (x &>> (64 &- k))
    }

    // MARK: - Uniform draws

    /// Returns a uniform double in [0, 1) with 53 random bits: `Double(next() >> 11) * 2⁻⁵³`.
    ///
    /// Identical to the shim's `get_double`, i.e. to `gsl_rng_uniform` on the same state.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() &>> 11) * 0x1p-53
    }

    /// Returns a uniform double in `range` (lower bound included, upper bound excluded).
    ///
    /// Uses one draw. Rounding can never return the upper bound: a result that would round up
    /// to it is replaced by the largest double below it.
    ///
    /// - Precondition: `range` is not empty.
    @inlinable
    public mutating func uniform(in range: Range<Double>) -> Double {
        precondition(!range.isEmpty, "RandomStream.uniform(in:): empty range")
        let lower = range.lowerBound, upper = range.upperBound
        let x = lower + (upper - lower) * uniform()
        return x < upper ? x : upper.nextDown
    }

    /// Returns a uniform integer in `0 ..< count`, without bias.
    ///
    /// Lemire's multiply-and-reject method; uses one draw except with probability
    /// below `count / 2⁶⁴`. Implemented here (not with the standard library's
    /// `Int.random(in:using:)`) so the result cannot change with the Swift toolchain.
    ///
    /// - Precondition: `count > 0`.
    @inlinable
    public mutating func uniformIndex(below count: Int) -> Int {
        precondition(count > 0, "RandomStream.uniformIndex(below:): count must be > 0")
        let bound = UInt64(truncatingIfNeeded: count)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound  // 2⁶⁴ mod bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(truncatingIfNeeded: product.high)
    }

    // MARK: - Exponential draws

    /// Returns an exponential variate with the given mean: `-mean · log(1 - u)`, u uniform in [0, 1).
    ///
    /// One draw, no allocation; always finite and ≥ 0. This is the engine's hottest call:
    /// `log(1 - u)` rather than `log1p(-u)` because glibc's `log` is several times faster; and
    /// `1 - u` is exact for every uniform on the 2⁻⁵³ grid (Sterbenz for u ≥ ½, spacing for
    /// u < ½), so nothing is lost to cancellation (the KS tests check the distribution).
    @inlinable @inline(__always)
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1.0 - uniform())
    }
}

// MARK: - Equatable

extension RandomStream: Equatable {
    /// Two streams are equal when their generator states are equal (they will draw alike).
    @inlinable
    public static func == (lhs: RandomStream, rhs: RandomStream) -> Bool {
        lhs.words == rhs.words
    }
}

// MARK: - RandomNumberGenerator

/// `RandomStream` can drive the standard library's `random(in:using:)` APIs.
///
/// Prefer the stream's own methods in simulation code: the standard library does not promise
/// that its algorithms (and therefore the values drawn) stay the same across Swift releases.
extension RandomStream: RandomNumberGenerator {}
