import Sim

// MARK: - Consumers: take, run, retry

extension SimulatedJobQueue {
    /// Starts a worker of `state`: `concurrency` consumer processes, taking jobs after `startDelay`.
    func startWorker(in state: JobQueueState, startDelay: SimTime) {
        let worker = JobWorker(serial: state.workersStarted)
        state.workersStarted += 1
        state.workers.append(worker)
        startConsumers(of: worker, in: state, startDelay: startDelay)
        if let failures = configuration.workerFailures, failures.applies(to: state.name) { armFailure(of: worker, in: state, failures) }
    }

    /// Starts the `concurrency` consumers of `worker`'s current generation.
    func startConsumers(of worker: JobWorker, in state: JobQueueState, startDelay: SimTime) {
        for _ in 0..<state.concurrency {
            let consumer = JobConsumer(worker: worker, handler: makeHandler(processesStarted))
            processesStarted += 1
            worker.consumers.append(consumer)
            state.metrics.consumers += 1
            runtime.spawn { [self] in
                await consume(as: consumer, in: state, startDelay: startDelay)
                state.metrics.consumers -= 1
                // It leaves its worker's list (which holds only running consumers), breaking
                // the worker ⇄ consumer reference cycle that would keep its handler, its engine
                // and so the whole simulated database alive after the run.
                worker.consumers.removeAll { $0 === consumer }
            }
        }
    }

    /// A consumer's life: take the next job, run it, acknowledge it, pay a child restart when
    /// due; leave when its worker is retired or crashed, or the run ends.
    private func consume(as consumer: JobConsumer, in state: JobQueueState, startDelay: SimTime) async {
        do {
            if startDelay > 0 { try await runtime.sleep(for: startDelay) }
            while let job = try await nextJob(for: consumer, in: state) {
                consumer.holding = job
                try await execute(job, in: state, by: consumer)
                guard consumer.isAlive else { return }  // crashed before the acknowledgement
                consumer.holding = nil
                if let cost = consumer.child.completeTask(under: configuration.recycling) {
                    state.metrics.childRestarts += 1
                    if cost > 0 { try await runtime.sleep(for: cost) }
                }
            }
        } catch {
            // The run ended (`simulationEnded`) while the consumer waited or worked; a job it
            // held stays counted in flight.
        }
    }

    /// The oldest pending job, or the one handed over after an idle wait; `nil` once the
    /// consumer's worker is retired or crashed.
    private func nextJob(for consumer: JobConsumer, in state: JobQueueState) async throws -> PendingJob? {
        guard !consumer.worker.isRetired, consumer.isAlive else { return nil }
        if let job = state.popOldest(at: runtime.now) {
            consumer.takenAt = runtime.now
            return job
        }
        consumer.assigned = nil
        try await runtime.park { token in
            consumer.token = token
            state.idle.append(consumer)
        }
        defer { consumer.assigned = nil }
        return consumer.isAlive ? consumer.assigned : nil
    }

    /// Runs `job`'s handler and settles it: completed, retried or dead-lettered — unless the
    /// worker crashed meanwhile (the crash left the job unacknowledged).
    private func execute(_ job: PendingJob, in state: JobQueueState, by consumer: JobConsumer) async throws {
        let start = runtime.now
        var failure: (any Error)?
        if configuration.workerFailures == nil && !crashesScripted {
            do { try await consumer.handler(job.job) } catch { failure = error }
        } else {
            failure = try await runAbandonably(job, by: consumer)
            guard consumer.isAlive else { return }
        }
        switch failure {
        case nil:
            state.finished(startedAt: start, at: runtime.now)
            state.metrics.completed += 1
        case ProcessInterruption.simulationEnded?:
            throw ProcessInterruption.simulationEnded
        case let error?:
            state.finished(startedAt: start, at: runtime.now)
            failed(job, error: error, in: state)
        }
    }

    /// Retries a failed job after its countdown, or dead-letters it.
    func failed(_ job: PendingJob, error: any Error, in state: JobQueueState) {
        switch configuration.retry.decide(afterFailureWithRetries: job.retries, random: &state.retryStream) {
        case .retry(let retries, let delay):
            state.metrics.retried += 1
            state.metrics.waitingToRetry += 1
            runtime.spawn { [self] in
                do { try await runtime.sleep(for: delay) } catch { return }  // run ended: still waiting
                state.metrics.waitingToRetry -= 1
                offer(PendingJob(job: job.job, enqueuedAt: runtime.now, retries: retries), to: state)
            }
        case .deadLetter(let executions):
            state.metrics.deadLettered += 1
            deadLetters.append(DeadLetter(job: job.job, time: runtime.now, executions: executions,
                                          error: String(describing: error)))
        }
    }
}
