import Sim

// MARK: - The components' own records on the timeline

extension TimelineEvent {
    /// A change of `event.queue`'s worker count by the Celery scaler `policy`: from → to
    /// workers, and the depth that decided it against the policy's thresholds.
    init(_ event: WorkerScalingEvent, policy: WorkerScalerPolicy) {
        let direction = event.to > event.from
            ? "above \(policy.scaleUpAboveDepth): × \(TimelineEvent.number(policy.scaleUpFactor)), at most \(policy.maxWorkers)"
            : "below \(policy.scaleDownBelowDepth): × \(TimelineEvent.number(policy.scaleDownFactor)), at least \(policy.minWorkers)"
        self.init(time: event.time, component: .jobs, kind: "worker-scaling", from: "\(event.from)", to: "\(event.to)",
                  reason: "queue \(event.queue.rawValue): \(event.depth) jobs waiting, \(direction) workers")
    }

    /// A database event: a monitor trigger as `monitor`, with the figure that tripped it;
    /// tiers, provisioning, cut-overs and switches under their own kinds.
    init(_ event: DatabaseEvent) {
        let isTrigger = event.kind == .trigger
        self.init(time: event.time, component: .database, kind: isTrigger ? "monitor" : event.kind.rawValue,
                  reason: isTrigger && !event.evidence.isEmpty ? "\(event.detail): \(event.evidence)" : event.detail)
    }

    /// `value` without a trailing `.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
    }
}

extension DatabaseMonitorSample {
    /// The figure behind `reason`, against the monitor's threshold, for the timeline.
    func evidence(for reason: DatabaseScalingReason) -> String {
        func percent(_ fraction: Double) -> String { "\((fraction * 1000).rounded() / 10) %" }
        switch reason {
        case .cpu:
            return "CPU \((cpuUtilization * 10).rounded() / 10) % > \(TimelineEvent.number(DatabaseMonitor.cpuThreshold)) % "
                + "for \(DatabaseMonitor.cpuMinutes) minutes"
        case .connections:
            return "\(connections) of \(maxConnections) connections (\(percent(Double(connections) / Double(maxConnections)))) "
                + "> \(percent(DatabaseMonitor.connectionThreshold))"
        case .iops:
            return "\((readIOPS * 10).rounded() / 10) read IOPS of \(TimelineEvent.number(provisionedIOPS)) "
                + "(\(percent(readIOPS / provisionedIOPS))) > \(percent(DatabaseMonitor.iopsThreshold))"
        case .storage:
            return "storage \(percent(storageUsed / storageTotal)) full > \(percent(DatabaseMonitor.storageThreshold))"
        }
    }
}

extension TaskSystemWorld {
    /// The database tier's events and the job queues' worker scaling, in time order (the
    /// database's first at equal times), for merging into the world's timeline.
    var componentEvents: [TimelineEvent] {
        let database = self.database.events.map(TimelineEvent.init)
        guard let policy = jobs.configuration.scaler else { return database }
        return Timeline(capacity: .max).merged(with: database).merged(with: jobs.scalingEvents.map {
            TimelineEvent($0, policy: policy)
        }).events
    }
}
