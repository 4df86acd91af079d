import Sim

// MARK: - Consumers: take, run, retry

extension SimulatedJobQueue {
    /// Starts a worker of `state`: `concurrency` consumer processes, taking jobs after `startDelay`.
    func startWorker(in state: JobQueueState, startDelay: SimTime) {
        let worker = JobWorker()
        state.workers.append(worker)
        for _ in 0..<state.concurrency {
            let consumer = JobConsumer(worker: worker)
            state.metrics.consumers += 1
            runtime.spawn { [self] in
                await consume(as: consumer, in: state, startDelay: startDelay)
                state.metrics.consumers -= 1
            }
        }
    }

    /// A consumer's life: take the next job, run it, pay a child restart when due; leave when
    /// its worker is retired or the run ends.
    private func consume(as consumer: JobConsumer, in state: JobQueueState, startDelay: SimTime) async {
        do {
            if startDelay > 0 { try await runtime.sleep(for: startDelay) }
            while let job = try await nextJob(for: consumer, in: state) {
                try await execute(job, in: state)
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
    /// consumer's worker is retired.
    private func nextJob(for consumer: JobConsumer, in state: JobQueueState) async throws -> PendingJob? {
        guard !consumer.worker.isRetired else { return nil }
        if let job = state.popOldest(at: runtime.now) { return job }
        consumer.assigned = nil
        try await runtime.park { token in
            consumer.token = token
            state.idle.append(consumer)
        }
        defer { consumer.assigned = nil }
        return consumer.assigned
    }

    /// Runs `job`'s handler and settles it: completed, retried or dead-lettered.
    private func execute(_ job: PendingJob, in state: JobQueueState) async throws {
        let start = runtime.now
        do {
            try await handler(job.job)
            state.finished(startedAt: start, at: runtime.now)
            state.metrics.completed += 1
        } catch ProcessInterruption.simulationEnded {
            throw ProcessInterruption.simulationEnded
        } catch {
            state.finished(startedAt: start, at: runtime.now)
            failed(job, error: error, in: state)
        }
    }

    /// Retries a failed job after its countdown, or dead-letters it.
    private func failed(_ job: PendingJob, error: any Error, in state: JobQueueState) {
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
