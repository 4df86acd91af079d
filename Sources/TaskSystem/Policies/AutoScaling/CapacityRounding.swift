// CapacityRounding.swift — turning fractional capacities into instance counts.

// MARK: - Rounding rules

/// The rounding rules shared by the autoscaling policies.
enum CapacityRounding {
    /// Relative slack absorbed before rounding up, so that products such as `10 × 77 / 70`
    /// (`11.000000000000002` in binary floating point) round to the count a person would compute.
    static let relativeSlack = 1e-9

    /// The largest count any policy proposes; keeps conversions from `Double` in range.
    static let maximumCount = 1 << 40

    /// `⌈x⌉`, ignoring floating-point noise just above an integer; negative values give 0.
    static func ceiling(_ x: Double) -> Int {
        guard x.isFinite else { return x > 0 ? maximumCount : 0 }
        let adjusted = x - relativeSlack * max(1, abs(x))
        return clamp((adjusted).rounded(.up))
    }

    /// `⌊x⌋`, ignoring floating-point noise just below an integer; negative values give 0.
    static func floor(_ x: Double) -> Int {
        guard x.isFinite else { return x > 0 ? maximumCount : 0 }
        let adjusted = x + relativeSlack * max(1, abs(x))
        return clamp(adjusted.rounded(.down))
    }

    /// Application Auto Scaling's rounding of a fractional step adjustment
    /// (`PercentChangeInCapacity`): values above 1 round down, values in (0, 1) become 1,
    /// values in (−1, 0) become −1, values below −1 round up — i.e. toward zero, but never to 0.
    static func stepAdjustment(_ x: Double) -> Int {
        guard x.isFinite else { return x > 0 ? maximumCount : -maximumCount }
        if x == 0 { return 0 }
        if x > 0 { return x < 1 ? 1 : floor(x) }
        return x > -1 ? -1 : -floor(-x)
    }

    private static func clamp(_ x: Double) -> Int {
        if x <= 0 { return 0 }
        if x >= Double(maximumCount) { return maximumCount }
        return Int(x)
    }
}
