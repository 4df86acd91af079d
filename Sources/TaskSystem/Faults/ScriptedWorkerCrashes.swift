import Sim

// MARK: - Worker crashes at a scripted time

/// `worker-crash` with `at`: the fault injector crashes `count` worker processes at once, with the
/// same mechanics as a random crash (`Jobs/Redelivery.swift`): the jobs their pool children held
/// stay unacknowledged until their visibility timeout and are then redelivered (`acks_late`), the
/// handler runs cut off are abandoned, and each process is restarted after `restart`.
extension SimulatedJobQueue {
    /// One crashed worker process: its queue, its serial number, and whether it was running a job.
    struct CrashedWorker: Sendable, Equatable {
        let queue: JobQueueName
        let serial: Int
        let busy: Bool
    }

    /// Crashes up to `count` running worker processes of `queue` (or of every queue) now: those
    /// running a job first (mid-job), then idle ones; within each, by queue (`high`, `default`,
    /// `low`) and oldest worker first. Workers already down (crashed, not yet restarted) or
    /// retired are not counted. Returns the crashed workers, in that order.
    func crashWorkers(count: Int, of queue: JobQueueName?, restart: SimTime) -> [CrashedWorker] {
        var busy: [(JobQueueState, JobWorker)] = []
        var idle: [(JobQueueState, JobWorker)] = []
        for state in queues where queue.map({ $0 == state.name }) ?? true {
            for worker in state.workers where !worker.isRetired && !worker.consumers.isEmpty {
                let running = worker.consumers.contains { $0.holding != nil || $0.assigned != nil }
                if running { busy.append((state, worker)) } else { idle.append((state, worker)) }
            }
        }
        let chosen = (busy.map { ($0.0, $0.1, true) } + idle.map { ($0.0, $0.1, false) }).prefix(count)
        for (state, worker, _) in chosen { crash(worker, in: state, restart: restart) }
        return chosen.map { CrashedWorker(queue: $0.0.name, serial: $0.1.serial, busy: $0.2) }
    }
}
