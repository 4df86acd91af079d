import Sim

// MARK: - Prefetch: messages a worker reserves (worker_prefetch_multiplier)

/// A worker whose children are all busy fetches up to ``JobQueueState/reserveLimit`` more
/// messages from the broker's list (``CeleryPrefetch``); they wait in the worker for one of its
/// own children, even while another worker's children are idle.
///
/// - Who gets a message: an idle child of any worker first (longest idle, as without prefetch);
///   otherwise a worker with room to reserve, in the order the workers asked (round robin, as
///   Redis serves the `BRPOP`s blocked longest first); otherwise it stays in the broker's list.
///   So while the list is not empty, no worker has room.
/// - A child that finishes takes its worker's oldest reserved message (else the list's oldest),
///   then the worker fetches from the list to refill; a worker fetches only once all its
///   children booted.
/// - A crash leaves its reserved messages unacknowledged like the running ones (redelivered
///   after the visibility timeout, counted from the fetch); a retired worker (warm shutdown)
///   gives them back at once, to the consuming end, in their order.
/// - Simplification: a child restarting after `maxTasksPerChild` counts as busy, so its worker
///   may reserve for it; Celery would count the slot as free (a difference of one message for
///   a second every 1,000 tasks).
extension SimulatedJobQueue {
    /// Whether `worker` may fetch a message for reservation now.
    func canReserve(_ worker: JobWorker, in state: JobQueueState) -> Bool {
        !worker.isRetired && worker.bootedChildren == state.concurrency && worker.reserved.count < state.reserveLimit
    }

    /// Puts `worker` at the back of the fetching line if it may reserve and is not in it.
    func askToFetch(_ worker: JobWorker, in state: JobQueueState) {
        guard !worker.isFetching, canReserve(worker, in: state) else { return }
        worker.isFetching = true
        state.fetching.append(worker)
    }

    /// A child of `consumer.worker` finished booting; once all have, the worker fetches.
    func booted(_ consumer: JobConsumer, in state: JobQueueState) {
        guard !consumer.booted, consumer.isAlive else { return }
        consumer.booted = true
        consumer.worker.bootedChildren += 1
        askToFetch(consumer.worker, in: state)
    }

    /// Hands `job` to the first worker of the fetching line that may still reserve; `false`
    /// when none may.
    func reserve(_ job: PendingJob, in state: JobQueueState) -> Bool {
        while let worker = state.fetching.popFirst() {
            worker.isFetching = false
            guard canReserve(worker, in: state) else { continue }
            worker.reserved.append(ReservedJob(job: job, fetchedAt: runtime.now))
            state.metrics.reserved += 1
            askToFetch(worker, in: state)
            return true
        }
        return false
    }

    /// `consumer` takes its worker's oldest reserved message; `nil` when it holds none.
    func takeReserved(by consumer: JobConsumer, in state: JobQueueState) -> PendingJob? {
        guard let reserved = consumer.worker.reserved.popFirst() else { return nil }
        state.metrics.reserved -= 1
        state.dispatched(reserved.job, at: runtime.now)
        consumer.takenAt = reserved.fetchedAt
        return reserved.job
    }

    /// After one of its children took a job, `worker` fetches from the broker's list what it
    /// may reserve, then waits in the fetching line if it has room left.
    func refill(_ worker: JobWorker, in state: JobQueueState) {
        while canReserve(worker, in: state), let job = state.popForReservation(at: runtime.now) {
            worker.reserved.append(ReservedJob(job: job, fetchedAt: runtime.now))
            state.metrics.reserved += 1
        }
        askToFetch(worker, in: state)
    }

    /// A worker taken out of service (crashed or retired) drops its reservations: returned in
    /// their order, oldest first.
    func dropReservations(of worker: JobWorker, in state: JobQueueState) -> [ReservedJob] {
        let dropped = Array(worker.reserved)
        worker.reserved.removeAll()
        state.metrics.reserved -= dropped.count
        return dropped
    }

    /// Gives a retiring worker's reserved messages back to the consuming end of the queue, in
    /// their order (the next taken is the oldest), or to idle children and workers with room.
    func restore(_ jobs: [ReservedJob], to state: JobQueueState) {
        var index = 0
        while index < jobs.count, handOver(jobs[index].job, in: state) { index += 1 }
        for reserved in jobs[index...].reversed() { state.pushToHead(reserved.job, at: runtime.now) }
    }
}
