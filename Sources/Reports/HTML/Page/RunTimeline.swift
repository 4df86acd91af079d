// RunTimeline.swift — summary.json's `events` read back: the table, the scaling marks and the
// fault windows of the charts.

// MARK: - The event timeline of a run

/// Replication 1's timeline from `summary.json` (`events.replication_1`), and how many events
/// every replication had and dropped.
struct RunTimeline: Sendable {
    /// One entry of the timeline.
    struct Event: Sendable, Equatable {
        var time: Double
        var component: String
        var kind: String
        var from: String
        var to: String
        var reason: String
    }

    var events: [Event]
    /// Per replication: (events recorded, events dropped by the cap).
    var counts: [(events: Int, dropped: Int)]

    /// Reads `events`; entries without a time are skipped.
    init(json: JSONValue?) {
        events = (json?.member("replication_1")?.array ?? []).compactMap { entry in
            guard let time = entry.member("at")?.number else { return nil }
            return Event(time: time, component: entry.member("component")?.text ?? "",
                         kind: entry.member("kind")?.text ?? "", from: entry.member("from")?.text ?? "",
                         to: entry.member("to")?.text ?? "", reason: entry.member("reason")?.text ?? "")
        }
        counts = (json?.member("counts")?.array ?? []).map { entry in
            (Int(entry.member("events")?.number ?? 0), Int(entry.member("dropped")?.number ?? 0))
        }
    }

    // MARK: Marks on the charts

    /// The API's scaling decisions that changed the desired count, labelled by the policy
    /// that made them (`cpu-target-70 2→3`). The HPA and ECS policies record them as
    /// `scaling-decision`s of the autoscaler (or the API); the reason opens with `policy NAME`.
    var apiScalingMarkers: [ChartMarker] {
        markers(where: { ($0.component == "autoscaler" || $0.component == "api") && $0.kind == "scaling-decision" })
    }

    /// The worker pool's scaling decisions (`jobs`, `worker-scaling`) that changed the count,
    /// labelled by their queue (`queue notifications: 150 jobs waiting, …` → `queue notifications 4→8`).
    var workerScalingMarkers: [ChartMarker] {
        events.filter { $0.component == "jobs" && $0.kind == "worker-scaling" && $0.from != $0.to }.map { event in
            ChartMarker(time: event.time, label: "\(Self.firstClause(String(event.reason.prefix { $0 != ":" }))) \(event.from)→\(event.to)")
        }
    }

    /// The database tier's moves: a tier reached, a cut-over to a bigger primary.
    var databaseMarkers: [ChartMarker] {
        events.filter { $0.component == "database" && ($0.kind == "tier" || $0.kind == "switched") }
            .map { ChartMarker(time: $0.time, label: $0.kind == "tier" ? Self.firstClause($0.reason) : "switched \($0.reason)") }
    }

    private func markers(where include: (Event) -> Bool) -> [ChartMarker] {
        events.filter { include($0) && $0.from != $0.to }.map { event in
            ChartMarker(time: event.time, label: "\(Self.policyLabel(event.reason)) \(event.from)→\(event.to)")
        }
    }

    /// The policy named by a scaling reason (`policy cpu-target-70; …` → `cpu-target-70`), else
    /// the reason's first clause (`below minimum capacity`).
    static func policyLabel(_ reason: String) -> String {
        let first = firstClause(reason)
        if first.hasPrefix("policy ") {
            let name = first.dropFirst("policy ".count)
            return String(name.prefix { $0 != ":" })
        }
        return first
    }

    /// The text up to the first `;` (or `:` after the first word), trimmed to 40 characters.
    static func firstClause(_ reason: String) -> String {
        let clause = reason.prefix { $0 != ";" }.trimmingSpaces
        return clause.count > 40 ? String(clause.prefix(39)) + "…" : clause
    }

    /// Fault windows: from each event of the `faults` component (an instance crashed) until the
    /// next API instance enters service (its replacement; the desired count was restored), or
    /// the end of the run; a fault of another kind is shaded for one series window.
    func faultRegions(duration: Double, window: Double) -> [ChartRegion] {
        events.enumerated().filter { $0.element.component == "faults" }.map { index, fault in
            var end = fault.time + window
            if fault.kind.hasPrefix("instance-") {
                end = events[(index + 1)...].first { $0.component == "api" && $0.kind == "instance-in-service" && $0.time >= fault.time }?.time
                    ?? duration
            }
            let what = "\(fault.kind) at \(Format.clock(fault.time))" + (fault.reason.isEmpty ? "" : ": \(fault.reason)")
            return ChartRegion(kind: .fault, start: fault.time, end: max(end, fault.time + window / 20), label: what)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
