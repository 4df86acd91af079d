// DatasetSeeder.swift — the deterministic initial dataset: users, projects, tasks, comments.

import Sim

// MARK: - SeedPlan

/// The shape of the initial dataset.
public struct SeedPlan: Hashable, Sendable {
    /// Number of users (identifiers `1…users`).
    public var users: Int
    /// Number of projects (identifiers `1…projects`).
    public var projects: Int
    /// Tasks created in each project.
    public var tasksPerProject: Int
    /// Members of each project, owner included (capped at `users`).
    public var membersPerProject: Int
    /// Comments on each task.
    public var commentsPerTask: Int
    /// Probability that a user is a system admin.
    public var adminFraction: Double
    /// Probability that a (non-admin) user is a read-only viewer.
    public var viewerFraction: Double
    /// Probability that a task has no assignee.
    public var unassignedFraction: Double

    /// Creates a plan.
    public init(
        users: Int, projects: Int, tasksPerProject: Int, membersPerProject: Int = 10, commentsPerTask: Int = 0,
        adminFraction: Double = 0.001, viewerFraction: Double = 0.05, unassignedFraction: Double = 0.2
    ) {
        precondition(
            users >= 0 && projects >= 0 && tasksPerProject >= 0 && commentsPerTask >= 0, "SeedPlan: negative size")
        precondition(projects == 0 || users >= 1, "SeedPlan: projects need at least one user")
        precondition(membersPerProject >= 1, "SeedPlan: a project has at least its owner")
        self.users = users
        self.projects = projects
        self.tasksPerProject = tasksPerProject
        self.membersPerProject = membersPerProject
        self.commentsPerTask = commentsPerTask
        self.adminFraction = adminFraction
        self.viewerFraction = viewerFraction
        self.unassignedFraction = unassignedFraction
    }

    /// The default shape for `users` users: one project per ten users, ten members and twenty
    /// tasks per project (100K users → 10K projects, 200K tasks).
    public static func scaled(users: Int) -> SeedPlan {
        SeedPlan(users: users, projects: Swift.max(1, users / 10), tasksPerProject: 20)
    }

    /// Status mix of seeded tasks, cumulative: 35 % todo, 25 % in progress, 10 % review, 30 % done.
    static let cumulativeStatusWeights: [(Double, TaskStatus)] = [
        (0.35, .todo), (0.60, .inProgress), (0.70, .review), (1.0, .done),
    ]
}

// MARK: - Seeding

extension PrimaryStore {
    /// A store holding the dataset `plan` describes, drawn from `random`, committed as the
    /// initial snapshot (``LSN/zero``, empty log, every row stamped `time`).
    ///
    /// The same plan and stream give the same dataset, row for row. Users are
    /// `User i <ui@example.com>`; each project has a random owner and distinct random members;
    /// each task a random member as creator and (mostly) as assignee, and a random status.
    public static func seeded(_ plan: SeedPlan, random: inout RandomStream, at time: SimTime = 0) -> PrimaryStore {
        var store = PrimaryStore()
        store.seedUsers(plan, &random)
        store.seedProjectsAndTasks(plan, &random, at: time)
        store.lastCommitTime = time
        return store
    }

    /// Shorthand for ``seeded(_:random:at:)`` with a ``SeedPlan`` of these sizes.
    public static func seed(
        users: Int, projects: Int, tasksPerProject: Int, membersPerProject: Int = 10, commentsPerTask: Int = 0,
        random: inout RandomStream
    ) -> PrimaryStore {
        let plan = SeedPlan(
            users: users, projects: projects, tasksPerProject: tasksPerProject,
            membersPerProject: membersPerProject, commentsPerTask: commentsPerTask)
        return seeded(plan, random: &random)
    }

    // MARK: Steps

    private mutating func seedUsers(_ plan: SeedPlan, _ random: inout RandomStream) {
        users.reserveCapacity(plan.users)
        assignedTaskCounts.reserveCapacity(plan.users + 1)
        for offset in 0..<plan.users {
            let index = offset + 1
            let draw = random.uniform()
            let role: UserRole =
                draw < plan.adminFraction ? .admin : draw < plan.adminFraction + plan.viewerFraction ? .viewer : .member
            users.load(User(id: UserID(index), name: "User \(index)", email: "u\(index)@example.com", role: role))
        }
    }

    private mutating func seedProjectsAndTasks(_ plan: SeedPlan, _ random: inout RandomStream, at time: SimTime) {
        let memberCount = Swift.min(plan.membersPerProject, plan.users)
        projects.reserveCapacity(plan.projects)
        tasks.reserveCapacity(plan.projects * plan.tasksPerProject)
        comments.reserveCapacity(plan.projects * plan.tasksPerProject * plan.commentsPerTask)
        tasksByProject.reserveCapacity(plan.projects + 1)
        if plan.commentsPerTask > 0 { commentsByTask.reserveCapacity(plan.projects * plan.tasksPerProject + 1) }
        var others: [UserID] = []
        var nextTask = 1, nextComment = 1
        for projectIndex in 0..<plan.projects {
            let projectID = ProjectID(projectIndex + 1)
            let owner = UserID(random.uniformIndex(below: plan.users) + 1)
            others.removeAll(keepingCapacity: true)
            if memberCount == plan.users {
                others = (1...plan.users).map { UserID($0) }
            } else {
                while others.count < memberCount - 1 {
                    let candidate = UserID(random.uniformIndex(below: plan.users) + 1)
                    if candidate != owner && !others.contains(candidate) { others.append(candidate) }
                }
            }
            let project = Project(id: projectID, name: "Project \(projectID)", owner: owner, memberIDs: others)
            projects.load(project)
            noteMembers(of: project)
            let members = project.memberIDs
            for _ in 0..<plan.tasksPerProject {
                let task = Self.seedTask(TaskID(nextTask), in: projectID, members: members, plan, &random, at: time)
                nextTask += 1
                tasks.load(task)
                tasksByProject.load(task.id, into: projectID.rawValue)
                if let assignee = task.assignee { assignedTaskCounts.load(1, to: assignee.rawValue) }
                for _ in 0..<plan.commentsPerTask {
                    let author = members[random.uniformIndex(below: members.count)]
                    let comment = Comment(
                        id: CommentID(nextComment), task: task.id, author: author, body: "Comment \(nextComment)",
                        createdAt: time)
                    nextComment += 1
                    comments.load(comment)
                    commentsByTask.load(comment.id, into: task.id.rawValue)
                }
            }
        }
    }

    private static func seedTask(
        _ id: TaskID, in project: ProjectID, members: [UserID], _ plan: SeedPlan, _ random: inout RandomStream,
        at time: SimTime
    ) -> TaskItem {
        let creator = members[random.uniformIndex(below: members.count)]
        let assignee: UserID? =
            random.uniform() < plan.unassignedFraction ? nil : members[random.uniformIndex(below: members.count)]
        let draw = random.uniform()
        var status = TaskStatus.done
        for (bound, candidate) in SeedPlan.cumulativeStatusWeights where draw < bound {
            status = candidate
            break
        }
        return TaskItem(
            id: id, project: project, title: "Task \(id)", description: "Seeded task.", status: status,
            assignee: assignee, createdBy: creator, createdAt: time)
    }
}
