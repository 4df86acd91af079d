// ExternalReader.swift — the `external` section to ExternalServices.

import TaskSystem

// MARK: - ExternalReader

/// Reads `external` (the gateways and report rendering the job handlers call) over the
/// defaults of `ExternalServices`.
enum ExternalReader {
    /// The keys of `external`.
    static let keys = ["email", "push", "report"]
    /// The keys of a gateway.
    static let gatewayKeys = ["latency", "failure"]

    /// Overrides `external` with what `value` gives.
    static func read(_ value: YAMLValue, into external: inout ExternalServices) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        if let email = map.optional("email")?.mapping(allowedKeys: gatewayKeys) {
            email.read("latency", into: &external.emailLatency) { $0.distribution(isTime: true) }
            email.read("failure", into: &external.emailFailureProbability) { $0.probability() }
        }
        if let push = map.optional("push")?.mapping(allowedKeys: gatewayKeys) {
            push.read("latency", into: &external.pushLatency) { $0.distribution(isTime: true) }
            push.read("failure", into: &external.pushFailureProbability) { $0.probability() }
        }
        map.read("report", into: &external.reportRendering) { $0.distribution(isTime: true) }
    }
}
