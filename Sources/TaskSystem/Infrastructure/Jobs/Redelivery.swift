import DequeModule
import Sim

// MARK: - Worker crashes and redelivery (acks_late, visibility timeout)

/// Celery with `acks_late=True` on a Redis broker: a worker acknowledges a job only after its
/// handler returned (succeeded, failed or scheduled a retry). When the worker process dies
/// first, the job stays in the broker's unacknowledged set and becomes visible again
/// ``JobQueueConfiguration/visibilityTimeout`` after it was taken — then it is redelivered to
/// the consuming end of its queue (taken next) and runs again from the start: at least once, so a handler that had
/// already done part of its work (read the rows, called the gateway) does it twice.
///
/// - A redelivered job keeps its `retries`; it is counted once in `enqueued` and once in
///   `completed` (or `deadLettered`) when it finally settles.
/// - A job whose handler is still running when its visibility timeout passes is not
///   redelivered early (the simulated handlers are far shorter than the timeout); a crash
///   after the timeout redelivers at once.
/// - The crashed execution's remaining steps still run in the simulation (their database load
///   is counted), but their outcome is ignored: nothing acknowledges it.
extension SimulatedJobQueue {
    /// Schedules `worker`'s next crash: exponential with the configured mean, from the stream
    /// `"jobs.worker_failure.<queue>.<serial>"`, continued after each restart.
    func armFailure(of worker: JobWorker, in state: JobQueueState, _ failures: WorkerFailures) {
        let name = "jobs.worker_failure.\(state.name.rawValue).\(worker.serial)"
        runtime.spawn { [self] in
            var stream = streamFactory.stream(named: name)
            let mean = SimClock.seconds(failures.meanTimeBetweenFailures)
            while true {
                do {
                    try await runtime.sleep(for: SimClock.time(seconds: stream.exponential(mean: mean)))
                } catch {
                    return  // the run ended
                }
                guard !worker.isRetired else { return }
                crash(worker, in: state)
                do { try await runtime.sleep(for: failures.restart) } catch { return }
            }
        }
    }

    /// `worker` dies now: its consumers stop, the jobs they held become unacknowledged until
    /// their visibility timeout, and its idle consumers leave the idle line; the process is
    /// restarted (new consumers) after `restart` (default ``WorkerFailures/restart``) unless it
    /// was retired.
    func crash(_ worker: JobWorker, in state: JobQueueState, restart: SimTime? = nil) {
        let restart = restart ?? configuration.workerFailures?.restart ?? 0
        runtime.spawn { [self] in
            do { try await runtime.sleep(for: restart) } catch { return }
            guard !worker.isRetired else { return }
            startConsumers(of: worker, in: state, startDelay: 0)
        }
        state.metrics.workerCrashes += 1
        worker.generation += 1
        for consumer in worker.consumers {
            if let job = consumer.holding ?? consumer.assigned {
                state.metrics.inFlight -= 1
                state.metrics.unacknowledged += 1
                redeliver(job, at: max(runtime.now, consumer.takenAt + configuration.visibilityTimeout), in: state)
            }
            consumer.holding = nil
            consumer.assigned = nil
            if let run = consumer.running {
                state.metrics.interruptedRuns += 1
                run.abandoned = true
                runtime.wake(run.token)
            }
        }
        var staying = Deque<JobConsumer>()
        for consumer in state.idle {
            if consumer.worker === worker { runtime.wake(consumer.token) } else { staying.append(consumer) }
        }
        state.idle = staying
        worker.consumers.removeAll()
    }

    /// Puts `job` back at the consuming end of its queue at `time` (the visibility timeout's
    /// end): kombu's Redis transport restores an unacknowledged message with `RPUSH` while its
    /// consumers take with `BRPOP` from that same end, so it is the next job taken.
    private func redeliver(_ job: PendingJob, at time: SimTime, in state: JobQueueState) {
        runtime.spawn { [self] in
            do { try await runtime.sleep(for: time - runtime.now) } catch { return }  // still unacknowledged
            state.metrics.unacknowledged -= 1
            state.metrics.redelivered += 1
            offer(PendingJob(job: job.job, enqueuedAt: runtime.now, retries: job.retries), to: state, atHead: true)
        }
    }

    /// Runs the handler as its own process and waits for it, or for `consumer`'s worker to
    /// crash; returns the handler's error (nil when it succeeded). After a crash the caller
    /// finds `consumer.isAlive` false and ignores the result.
    func runAbandonably(_ job: PendingJob, by consumer: JobConsumer) async throws -> (any Error)? {
        let run = JobRun()
        runtime.spawn { [self] in
            do { try await consumer.handler(job.job) } catch { run.error = error }
            if !run.abandoned { runtime.wake(run.token) }
        }
        defer { consumer.running = nil }
        try await runtime.park { token in
            run.token = token
            consumer.running = run
        }
        return run.error
    }
}
