// LeastOutstandingRequestsSelector.swift — the ALB's "least outstanding requests" algorithm.

// MARK: - Least outstanding requests

/// Least outstanding requests: the routable target with the fewest in-flight requests;
/// ties go to the lowest index, so the choice is deterministic.
public enum LeastOutstandingRequestsSelector {
    /// The index of the chosen target, or `nil` when no target is routable.
    public static func select(from targets: [LoadBalancerTarget]) -> Int? {
        var best: Int? = nil
        for index in targets.indices where targets[index].isRoutable {
            if let current = best, targets[current].outstandingRequests <= targets[index].outstandingRequests { continue }
            best = index
        }
        return best
    }
}
