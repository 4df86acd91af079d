import Sim

// MARK: - The fault injector

/// The component that injects a run's ``FaultPlan`` (the faults other than crashes, which the
/// API tier and the job queues run themselves): one process per fault, in the order written,
/// that sleeps until the fault's start, breaks its target, records `fault-start`, sleeps for the
/// fault's duration, repairs the target and records `fault-end` (component `faults`; the reason
/// names the fault and its target). A fault that starts after the run's end never starts; one
/// that ends after it is still in force at the end (no `fault-end`).
///
/// Confined to the simulation's thread, like the components it breaks.
final class FaultInjector: @unchecked Sendable {
    private let plan: FaultPlan
    private let runtime: ProcessRuntime
    private let cache: SimulatedSharedCache
    private let jobs: SimulatedJobQueue
    private let api: APITier
    private let database: SimulatedDatabase
    private let workload: Workload
    private let recorders: RunRecorders

    /// An injector of `plan`'s faults into these components; nothing runs before ``start()``.
    init(plan: FaultPlan, runtime: ProcessRuntime, cache: SimulatedSharedCache, jobs: SimulatedJobQueue,
         api: APITier, database: SimulatedDatabase, workload: Workload, recorders: RunRecorders) {
        self.plan = plan
        self.runtime = runtime
        self.cache = cache
        self.jobs = jobs
        self.api = api
        self.database = database
        self.workload = workload
        self.recorders = recorders
    }

    // MARK: Running

    /// Starts one process per injected fault, in the order the plan lists them (an empty plan
    /// starts nothing, so a run without faults is unchanged).
    func start() {
        for fault in plan.injected {
            guard let start = fault.start else { continue }
            runtime.spawn { [self] in
                do {
                    try await runtime.sleep(for: max(0, start - runtime.now))
                    begin(fault)
                    guard let end = fault.end else { return }  // in force to the end of the run
                    let refused = (calls: cache.refusedCalls, publications: jobs.refusedPublications,
                                   statements: database.metrics.failoverRefusedStatements)
                    try await runtime.sleep(for: max(0, end - runtime.now))
                    finish(fault, refusedCalls: cache.refusedCalls - refused.calls,
                           refusedPublications: jobs.refusedPublications - refused.publications,
                           refusedStatementsSince: refused.statements)
                } catch {
                    return  // the run ended
                }
            }
        }
    }

    // MARK: Faults

    /// Breaks `fault`'s target now and records the start.
    private func begin(_ fault: Fault) {
        var detail = startDetail(fault)
        switch fault {
        case .zoneLoss(_, _, let zone):
            let crashed = api.loseZone(zone)
            let replicas = loseReplicas(in: zone)
            detail = "; \(crashed) API instance(s) crashed, replica(s) lost: "
                + (replicas.isEmpty ? "none" : replicas.map(String.init).joined(separator: ", "))
        case .redisOutage:
            cache.becomeUnavailable()
            jobs.brokerAvailable = false
        case .redisFlush:
            cache.flush()
        case .primaryFailover:
            database.failPrimary()
        case .workerCrash(_, let count, let restart, let queue):
            let crashed = jobs.crashWorkers(count: count, of: queue, restart: restart)
            detail = "; crashed: " + (crashed.isEmpty ? "none (no worker running)"
                : crashed.map { "\($0.queue.rawValue) worker \($0.serial)\($0.busy ? " (mid-job)" : "")" }
                    .joined(separator: ", "))
        case .instanceCrash, .randomInstanceCrashes, .randomWorkerCrashes:
            break  // run by the API tier and the job queues
        }
        record("fault-start", fault, from: "normal", to: "faulted", detail: detail)
    }

    /// Repairs `fault`'s target now and records the end, with what the fault refused meanwhile.
    private func finish(_ fault: Fault, refusedCalls: Int, refusedPublications: Int, refusedStatementsSince: Int) {
        var detail = ""
        switch fault {
        case .redisOutage:
            cache.becomeAvailable()
            jobs.brokerAvailable = true
            detail = "; Redis is back, empty; \(refusedCalls) cache call(s) and \(refusedPublications) job "
                + "publication(s) were refused"
        case .zoneLoss(_, _, let zone):
            api.restoreZone(zone)
            detail = "; the zone takes launches again (lost replicas stay lost)"
        case .primaryFailover(let at, _):
            let outcome = database.promoteMostAdvancedReplica(failedAt: at, refusedSince: refusedStatementsSince)
            workload.settleFailover()
            detail = Self.promotionDetail(outcome)
        case .workerCrash:
            detail = "; the crashed workers are restarted (unless scaled in meanwhile)"
        case .redisFlush, .instanceCrash, .randomInstanceCrashes, .randomWorkerCrashes:
            break
        }
        record("fault-end", fault, from: "faulted", to: "normal", detail: detail)
    }

    /// Retires every replica in service placed in `zone` (replica n is in zone
    /// `alternating(n)`); returns their numbers.
    private func loseReplicas(in zone: AvailabilityZone) -> [Int] {
        let lost = database.replicaNodes.indices.filter {
            AvailabilityZone.alternating($0) == zone && database.replicaServing[$0]
        }
        for replica in lost { database.retireReplica(replica) }
        return lost
    }

    /// The end of a failover in words: who was promoted, at which position, what was lost.
    private static func promotionDetail(_ outcome: FailoverOutcome) -> String {
        let refused = "\(outcome.refusedStatements) statement(s) refused while the primary was down"
        guard let promoted = outcome.promoted else {
            return "; no replica to promote: the primary came back with every commit; " + refused
        }
        return "; replica \(promoted) promoted at position \(outcome.position.rawValue) (the failed primary's head: "
            + "\(outcome.failedHead.rawValue)); \(outcome.lostWrites) committed write(s) lost; " + refused
    }

    private func startDetail(_ fault: Fault) -> String {
        switch fault {
        case .primaryFailover(_, let promotion):
            "; every statement on the primary fails for \(Self.seconds(promotion)) s, then the most advanced replica is promoted"
        case .redisOutage(_, let duration):
            "; every cache call and job publication fails fast for \(Self.seconds(duration)) s"
        case .redisFlush:
            "; every key dropped"
        default:
            ""
        }
    }

    private func record(_ kind: String, _ fault: Fault, from: String, to: String, detail: String) {
        recorders.timeline.record(TimelineEvent(time: runtime.now, component: .faults, kind: kind, from: from, to: to,
                                                reason: fault.label + detail))
    }

    private static func seconds(_ time: SimTime) -> String {
        let value = SimClock.seconds(time)
        return value.rounded() == value ? String(Int(value)) : String(value)
    }
}
