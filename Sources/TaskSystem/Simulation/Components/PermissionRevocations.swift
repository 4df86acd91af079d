import Sim

// MARK: - Admins removing project members

/// Project admins removing members, at `perHour` a Poisson process: what makes cached
/// permissions go stale. Each revocation picks a project uniformly and one of its members
/// other than the owner uniformly (a project with its owner alone is skipped), and the owner
/// removes it through an in-service API instance (``TaskAPI/removeMember(_:from:as:)``: the
/// primary write and the event-based invalidation of `permissions:{member}` and `project:{id}`
/// in L2). The removed user's client keeps its project list, so its later requests to that
/// project are refused (403) or — with a permission cached somewhere — granted stale.
///
/// The admin request takes the instance's connection pool and database time but no vCPU and
/// is not counted in `api.*` (an assumption: a handful an hour beside thousands of user requests).
///
/// Streams: `revocations` (the times, the projects, the members). Confined to the replication's
/// runtime (hence `@unchecked Sendable`).
final class PermissionRevocations: @unchecked Sendable {
    let runtime: ProcessRuntime
    let meanGap: Double
    private let api: APITier
    private let database: SimulatedDatabase
    private var stream: RandomStream
    /// Instances take the admin requests in turn (among those in service).
    private var turn = 0
    /// Memberships removed so far (whole run).
    private(set) var performed = 0

    init(runtime: ProcessRuntime, perHour: Double, api: APITier, database: SimulatedDatabase,
         streams: RandomStreamFactory) {
        precondition(perHour > 0, "PermissionRevocations: the rate must be > 0")
        self.runtime = runtime
        meanGap = 3_600 / perHour
        self.api = api
        self.database = database
        stream = streams.stream(named: "revocations")
    }

    /// Starts the admins' process.
    func start() {
        runtime.spawn { [self] in
            do {
                while true {
                    try await runtime.sleep(for: SimClock.time(seconds: stream.exponential(mean: meanGap)))
                    await revokeOne()
                }
            } catch {
                return  // the run ended
            }
        }
    }

    /// One revocation: a project, a member other than the owner, an instance to serve it.
    private func revokeOne() async {
        let primary = database.store.primary
        let projectCount = primary.highestProjectID.rawValue
        guard projectCount > 0 else { return }
        let projectID = ProjectID(stream.uniformIndex(below: projectCount) + 1)
        guard let project = primary.project(projectID) else { return }
        let others = project.memberIDs.filter { $0 != project.owner }
        guard !others.isEmpty else { return }
        let member = others[stream.uniformIndex(below: others.count)]
        let serving = api.instances.filter(\.isServing)
        guard !serving.isEmpty else { return }
        let instance = serving[turn % serving.count]
        turn += 1
        do {
            _ = try await instance.api.removeMember(member, from: projectID, as: project.owner)
            performed += 1
        } catch {
            return  // a failed admin request (pool timeout, outage) changes nothing
        }
    }
}
