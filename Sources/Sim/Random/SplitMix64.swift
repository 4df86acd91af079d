// SplitMix64.swift — the stable mixing functions used to seed random streams.
//
// Seeds must be identical across processes, machines and Swift releases, so nothing here uses
// Swift's `Hasher` or `hashValue` (randomised per process).

// MARK: - splitmix64

/// splitmix64 (Steele, Lea & Flood; as recommended by the xoshiro authors for seeding).
///
/// Each call adds the golden-ratio increment to the state and returns a bijective mix of it.
/// The same function as the loop in the C shim's `xoshiro_set` (C code, which cannot share
/// this one); every Swift use of splitmix64 in simrun goes through this type.
public struct SplitMix64: Sendable {
    /// The counter; advanced by `0x9e3779b97f4a7c15` per output.
    public var state: UInt64

    /// A generator whose first output is `SplitMix64.mix(state)`.
    @inlinable
    public init(state: UInt64) { self.state = state }

    /// Returns the next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.finalize(state)
    }

    /// The first output of splitmix64 started at `x`: a fixed, platform-independent bijective
    /// mix of a 64-bit value (what a stable hash of an integer needs).
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        finalize(x &+ increment)
    }

    /// The golden-ratio increment.
    @usableFromInline static let increment: UInt64 = 0x9e37_79b9_7f4a_7c15

    /// splitmix64's output function (Stafford's variant 13 of MurmurHash3's finaliser).
    @inlinable
    static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z &>> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z &>> 31)
    }
}

// MARK: - FNV-1a

/// The 64-bit FNV-1a hash of a byte sequence (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01b3
    }
    return hash
}
