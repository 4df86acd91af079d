import Testing
import Sim
@testable import TaskSystem

@Suite struct DatabaseMechanismTests {
    /// A replica 2 s behind serves the old title for 2 s after the update, then the new one.
    @Test func replicaReadInsideTheLagReturnsTheOldValue() {
        let world = World(replicas: 1, lag: 2)
        let (task, writer, _) = world.writableTask()
        let titles = Outbox<(Double, String)>()
        world.runtime.spawn {
            try? await world.runtime.sleep(for: seconds(10))
            _ = try? await world.api.updateTask(task.id, with: UpdateTask(title: "renamed"), as: writer)
        }
        for at in [10.5, 11.5, 12.5] {
            world.runtime.spawn {
                try? await world.runtime.sleep(for: seconds(at))
                if let read = try? await world.client.task(task.id, consistency: .replica) {
                    titles.add((at, read.title))
                }
            }
        }
        world.runtime.run(until: seconds(20))
        world.runtime.shutdown()
        #expect(titles.values.map(\.1) == [task.title, task.title, "renamed"])
        #expect(world.database.metrics.staleReads == 2)
        // The three reads, plus the writer's permissions (the seed's middleware, L1 and L2 cold)
        // and profile, which the update loads from a replica.
        #expect(world.database.metrics.replicaQueries == [5])
    }

    /// The writer reads its own write from the primary for 5 s; after that, replicas again.
    @Test func consistencyManagerSendsTheWriterToThePrimaryForFiveSeconds() {
        let world = World(replicas: 1, lag: 30)  // a replica far behind: staleness is obvious
        let (task, writer, reader) = world.writableTask()
        let seen = Outbox<(String, Double, String)>()
        world.runtime.spawn {
            try? await world.runtime.sleep(for: seconds(1))
            _ = try? await world.api.updateTask(task.id, with: UpdateTask(title: "mine"), as: writer)
        }
        for (who, user, at) in [("writer", writer, 3.0), ("reader", reader, 3.0), ("writer", writer, 7.0)] {
            world.runtime.spawn {
                try? await world.runtime.sleep(for: seconds(at))
                if let read = try? await world.api.getTask(task.id, as: user) { seen.add((who, at, read.title)) }
            }
        }
        world.runtime.run(until: seconds(20))
        world.runtime.shutdown()
        let titles = seen.values.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map { "\($0.0)@\($0.1): \($0.2)" }
        // Inside the window the writer sees its write; another reader, and the writer after the
        // window, read the lagging replica and see the old title.
        #expect(titles == ["reader@3.0: \(task.title)", "writer@3.0: mine", "writer@7.0: \(task.title)"])
    }

    /// The seed's N+1 plan: 1 list query plus one query per task; the JOIN: 1 query.
    @Test(arguments: [DatabaseConfiguration.QueryPlan.join, .nPlusOne])
    func taskListQueryCountFollowsThePlan(plan: DatabaseConfiguration.QueryPlan) {
        let world = World(replicas: 0, lag: 0, plan: plan)
        let project = ProjectID(1)
        let taskCount = world.database.store.primary.tasks(inProject: project).count
        let result = Outbox<Int>()
        world.runtime.spawn {
            if let tasks = try? await world.client.tasksWithAssignees(inProject: project, consistency: .replica) {
                result.add(tasks.count)
            }
        }
        world.runtime.run(until: seconds(10))
        #expect(taskCount == 8)
        #expect(result.values == [taskCount])
        #expect(world.database.metrics.primaryQueries == (plan == .join ? 1 : 1 + taskCount))
    }

    /// Lag-aware routing: a replica lagging beyond the limit is skipped for the primary.
    @Test func laggingReplicaIsSkipped() {
        var configuration = DatabaseConfiguration(replicas: 1, replicationLag: .constant(10),
                                                  maxReplicaLag: seconds(1), roundTrip: .constant(0))
        configuration.pointReadCost = .constant(0.001)
        let runtime = ProcessRuntime()
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 10, projects: 1, tasksPerProject: 2, random: &random)
        let database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                         streams: RandomStreamFactory(rootSeed: 1))
        let client = DatabaseClient(database: database,
                                    pool: ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: seconds(30)))
        runtime.spawn {
            // A write at t = 1 makes the replica (10 s behind) lag once time passes it.
            try? await runtime.sleep(for: seconds(1))
            let user = database.store.primary.user(UserID(1))!
            try? await client.save(.update(.user(User(id: user.id, name: "n", email: user.email, role: user.role))))
            try? await runtime.sleep(for: seconds(5))
            _ = try? await client.user(UserID(2), consistency: .replica)
        }
        runtime.run(until: seconds(8))
        runtime.shutdown()
        #expect(database.metrics.laggingReplicaSkips == 1)
        #expect(database.metrics.replicaQueries == [0])
        #expect(database.metrics.primaryQueries == 2)
    }
}

@Suite struct SearchTests {
    /// Search reads the project's tasks in one scanning query and returns those whose title
    /// contains the text, case-insensitively — including a task just created through the API.
    @Test func searchFindsMatchingTitlesInOneQuery() {
        let world = World(replicas: 0, lag: 0)
        let (task, writer, _) = world.writableTask()
        let found = Outbox<[TaskID]>()
        world.runtime.spawn {
            _ = try? await world.api.createTask(CreateTask(title: "Quarterly REPORT draft"), inProject: task.project, as: writer)
            if let hits = try? await world.api.searchTasks(inProject: task.project, matching: "report", as: writer) {
                found.add(hits.map(\.id))
            }
            let before = world.database.metrics.primaryQueries
            _ = try? await world.client.searchTasks(inProject: task.project, matching: "report", consistency: .replica)
            found.add([TaskID(world.database.metrics.primaryQueries - before)])
        }
        world.runtime.run(until: seconds(10))
        let expected = world.database.store.primary.taskItems(inProject: task.project)
            .filter { $0.title.lowercased().contains("report") }.map(\.id)
        #expect(!expected.isEmpty)
        #expect(found.values.first == expected)
        #expect(found.values.last == [TaskID(1)])  // the search itself is one query
    }
}
