import DequeModule
import Sim

// MARK: - Worker autoscaling

extension SimulatedJobQueue {
    /// Sets `queue`'s active worker count now: adds workers (taking jobs after
    /// ``JobQueueConfiguration/workerStartDelay``) or retires the newest (idle consumers leave
    /// at once, busy ones after their job; the jobs it reserved go back to the queue's
    /// consuming end at once).
    public func setWorkers(_ count: Int, for queue: JobQueueName) {
        precondition(count >= 0, "SimulatedJobQueue: worker count must be ≥ 0")
        let state = queues[queue.jobQueueIndex]
        while state.workers.count < count {
            startWorker(in: state, startDelay: configuration.workerStartDelay)
        }
        guard state.workers.count > count else { return state.workersChanged(at: runtime.now) }
        var returned: [ReservedJob] = []
        while state.workers.count > count {
            let worker = state.workers.removeLast()
            worker.isRetired = true
            returned = dropReservations(of: worker, in: state) + returned  // the oldest workers' first
        }
        state.workersChanged(at: runtime.now)
        var staying = Deque<JobConsumer>()
        for consumer in state.idle {
            if consumer.worker.isRetired {
                runtime.wake(consumer.token)  // wakes with nothing assigned: it leaves
            } else {
                staying.append(consumer)
            }
        }
        state.idle = staying
        restore(returned, to: state)
    }

    /// Checks `state`'s depth on `policy`'s grid for the rest of the run.
    func startScaler(_ policy: WorkerScalerPolicy, for state: JobQueueState) {
        runtime.spawn { [self] in
            while true {
                do {
                    try await runtime.sleep(for: policy.nextCheck(after: runtime.now) - runtime.now)
                } catch {
                    return  // the run ended
                }
                let depth = state.pending.count
                let current = state.workers.count
                let decision = policy.decide(currentWorkers: current, queueDepth: depth)
                guard decision.changesCapacity else { continue }
                setWorkers(decision.desiredCapacity, for: state.name)
                scalingEvents.append(WorkerScalingEvent(time: runtime.now, queue: state.name, depth: depth,
                                                        from: current, to: decision.desiredCapacity))
            }
        }
    }
}
