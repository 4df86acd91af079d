// RoundRobinSelector.swift — round robin over routable targets (the ALB default).

// MARK: - Round robin

/// Round robin: each request goes to the next routable target after the previous choice,
/// skipping targets that are starting, unhealthy or draining.
///
/// The cursor is a position in the target list; when the list changes size the rotation simply
/// continues from the same position (modulo the new count).
public struct RoundRobinSelector: Sendable, Equatable {
    /// The position the next search starts from.
    public private(set) var cursor = 0

    /// A selector starting at the first target.
    public init() {}

    /// The index of the target for the next request, or `nil` when no target is routable.
    public mutating func select(from targets: [LoadBalancerTarget]) -> Int? {
        let count = targets.count
        guard count > 0 else { return nil }
        let start = cursor % count
        for offset in 0..<count {
            let index = (start + offset) % count
            if targets[index].isRoutable {
                cursor = (index + 1) % count
                return index
            }
        }
        return nil
    }
}
