// HPABehaviorReader.swift — the HPA's `behavior` rate policies in `api.autoscaling` with
// `kind: hpa`: `scale_up_policies`, `scale_down_policies` and their `select_policy`.

import Sim
import TaskSystem

// MARK: - HPABehaviorReader

/// Reads the rate policies of `behavior.scaleUp` / `behavior.scaleDown`.
enum HPABehaviorReader {
    /// The behaviour keys (besides the stabilisation windows).
    static let keys = ["scale_up_policies", "scale_down_policies", "scale_up_select_policy", "scale_down_select_policy"]
    /// The keys of one policy.
    static let policyKeys = ["type", "value", "period"]
    /// Kubernetes' bound on `periodSeconds`.
    static let longestPeriod: SimTime = 1800 * SimClock.nanosecondsPerSecond
    /// `selectPolicy` values.
    static let selections: [(name: String, selection: HPASelectPolicy)] = [
        ("max", .max), ("min", .min), ("disabled", .disabled),
    ]

    /// Overrides the rules' policies and selection with what `map` gives; false once a problem
    /// was reported.
    static func read(_ map: YAMLMapping, scaleUp: inout HPAScalingRules, scaleDown: inout HPAScalingRules) -> Bool {
        var ok = map.read("scale_up_policies", into: &scaleUp.policies, readPolicies)
        ok = map.read("scale_down_policies", into: &scaleDown.policies, readPolicies) && ok
        ok = map.read("scale_up_select_policy", into: &scaleUp.selectPolicy, readSelection) && ok
        ok = map.read("scale_down_select_policy", into: &scaleDown.selectPolicy, readSelection) && ok
        return ok
    }

    /// `[{type: pods|percent, value: n, period: 15s}, …]`: at least one.
    private static func readPolicies(_ value: YAMLValue) -> [HPAScalingPolicy]? {
        guard let items = value.list() else { return nil }
        guard !items.isEmpty else {
            value.report("must list at least one policy, such as [{type: pods, value: 4, period: 15s}]; "
                         + "write the select_policy as disabled to stop scaling in this direction")
            return nil
        }
        var policies: [HPAScalingPolicy] = []
        var ok = true
        for item in items {
            if let policy = readPolicy(item) { policies.append(policy) } else { ok = false }
        }
        return ok ? policies : nil
    }

    /// One policy: `type`, `value` (integer ≥ 1), `period` (> 0, at most 1800 s).
    private static func readPolicy(_ value: YAMLValue) -> HPAScalingPolicy? {
        guard let map = value.mapping(allowedKeys: policyKeys) else { return nil }
        let type = map.required("type")?.choice(from: ["pods", "percent"], what: "policy type")
        var amount = map.required("value")?.int(atLeast: 1)
        if let value = amount, value > Int(Int32.max), let written = map.optional("value") {
            written.report("must be at most \(Int32.max) (Kubernetes' int32), got \(value)")
            amount = nil
        }
        var period: SimTime? = nil
        if let written = map.required("period"), let duration = written.positiveDuration() {
            if duration > longestPeriod {
                written.report("must be at most 1800 s (Kubernetes' periodSeconds bound), got \(SimClock.seconds(duration)) s")
            } else {
                period = duration
            }
        }
        guard let type, let amount, let period else { return nil }
        return HPAScalingPolicy(kind: type == "pods" ? .pods : .percent, value: amount, period: period)
    }

    /// `max`, `min` or `disabled`.
    private static func readSelection(_ value: YAMLValue) -> HPASelectPolicy? {
        guard let name = value.choice(from: selections.map(\.name), what: "select policy") else { return nil }
        return selections.first { $0.name == name }?.selection
    }
}
