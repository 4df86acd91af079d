// TierReplications.swift — one tier's evaluations run a replication at a time in the plan's
// shared slots, a screening's replication kept for the confirmation that follows it.

import Sim
import TaskSystem

// MARK: - TierReplications

/// Runs the replications of one tier's evaluations, each in a slot of the plan's
/// ``ReplicationSlots``, the missing ones in parallel.
///
/// A replication depends only on its configuration and its index (its streams are named from
/// the root seed and the index), never on how many replications the run has: the first
/// replication of a three-replication confirmation is the one-replication screening that came
/// before it. The screening's result is kept and the confirmation runs only replications 2 and
/// 3, so every confirmation costs two runs instead of three and reports what a fresh
/// three-replication run would, byte for byte
/// (`PlanConcurrencyTests.aConfirmationReusingItsScreeningMatchesAFreshRun`).
actor TierReplications {
    private let slots: ReplicationSlots
    private let priority: Int
    /// The last screening's result, for the confirmation that may follow it (the search
    /// confirms a configuration right after screening it, so one is enough).
    private var kept: (configuration: PlanConfiguration, result: TaskSystemResult)?

    /// A tier's runner on `slots`, its replications started with `priority`.
    init(slots: ReplicationSlots, priority: Int) {
        self.slots = slots
        self.priority = priority
    }

    /// The results of `configuration.replications` replications of `configuration` (which is
    /// `c` of the tier's space, applied to the scenario), in replication order.
    func results(of c: PlanConfiguration, _ configuration: TaskSystemConfiguration) async -> [TaskSystemResult] {
        let count = max(1, configuration.replications)
        let first = kept.flatMap { $0.configuration == c ? $0.result : nil }
        let missing = (first == nil ? 0 : 1)..<count
        let fresh = await withTaskGroup(of: (Int, TaskSystemResult).self) { group in
            for index in missing {
                group.addTask { [slots, priority] in
                    (index, await slots.run(priority: priority) {
                        TaskSystemSimulation.runReplication(configuration, replication: index)
                    })
                }
            }
            var collected: [(Int, TaskSystemResult)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let results = (first.map { [$0] } ?? []) + fresh
        if count == 1 {
            kept = (c, results[0])
        } else if kept?.configuration == c {
            kept = nil
        }
        return results
    }
}
