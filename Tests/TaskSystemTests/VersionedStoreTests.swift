// VersionedStoreTests.swift — the primary's writes and indexes, replicas reading as of their
// position, log truncation, and deterministic seeding.

import Testing
import Sim
@testable import TaskSystem

// MARK: - Fixtures

private let second = SimClock.nanosecondsPerSecond

/// A primary with users 1…4, project 1 (owner 1, members 2, 3) and tasks 1…3 in it, all
/// inserted through the log (LSNs 1…8), at times 1 s … 8 s.
private func smallStore() throws -> PrimaryStore {
    var store = PrimaryStore()
    var time: SimTime = 0
    func next() -> SimTime {
        time += second
        return time
    }
    for index in 1...4 {
        let id = store.reserveUserID()
        try store.insert(.user(User(id: id, name: "U\(index)", email: "u\(index)@x.io")), at: next())
    }
    let project = store.reserveProjectID()
    try store.insert(.project(Project(id: project, name: "P", owner: 1, memberIDs: [2, 3])), at: next())
    for index in 1...3 {
        let id = store.reserveTaskID()
        let task = TaskItem(id: id, project: project, title: "T\(index)", assignee: 2, createdBy: 1, createdAt: time)
        try store.insert(.task(task), at: next())
    }
    return store
}

@Suite struct VersionedStoreTests {}

// MARK: - Primary

extension VersionedStoreTests {
    @Suite struct Primary {
        @Test func writesTakeDenseLSNsAndLogImages() throws {
            var store = try smallStore()
            #expect(store.headLSN == 8 && store.log.count == 8)
            var task = try #require(store.task(2))
            task.title = "T2'"
            let lsn = try store.update(.task(task), at: 9 * second)
            #expect(lsn == 9)
            let change = store.log[9]
            #expect(change.kind == .update && change.key == .task(2) && change.commitTime == 9 * second)
            #expect(change.newValue == .task(task))
            #expect(change.oldValue.flatMap(TaskItem.init)?.title == "T2")
            #expect(store.task(2)?.title == "T2'")
            #expect(store.lastModifiedLSN(of: .task(2)) == 9)
        }

        @Test func writeChecksLeaveTheStoreUnchanged() throws {
            var store = try smallStore()
            let user = try #require(store.user(1))
            #expect(throws: StoreError.duplicateKey(.user(1))) { try store.insert(.user(user), at: 9 * second) }
            #expect(throws: StoreError.notFound(.task(99))) { try store.delete(.task(99), at: 9 * second) }
            #expect(throws: StoreError.invalidKey(.user(50))) {
                try store.insert(.user(User(id: 50, name: "x", email: "x@y")), at: 9 * second)
            }
            let orphan = TaskItem(id: 4, project: 9, title: "x", createdBy: 1, createdAt: 0)
            #expect(throws: StoreError.missingReference(from: .task(4), to: .project(9))) {
                try store.insert(.task(orphan), at: 9 * second)
            }
            let moved = TaskItem(id: 1, project: 2, title: "x", createdBy: 1, createdAt: 0)
            #expect(throws: StoreError.immutableColumn(.task(1), column: "project")) {
                try store.update(.task(moved), at: 9 * second)
            }
            #expect(throws: StoreError.commitTimeWentBackwards(previous: 8 * second, attempted: second)) {
                try store.delete(.task(1), at: second)
            }
            #expect(store.headLSN == 8 && store.taskCount == 3)
        }

        @Test func deletedIdentifiersAreNeverReused() throws {
            var store = try smallStore()
            let task = try #require(store.task(2))
            try store.delete(.task(2), at: 9 * second)
            #expect(throws: StoreError.invalidKey(.task(2))) { try store.insert(.task(task), at: 10 * second) }
            #expect(store.reserveTaskID() == 4)
        }

        @Test func indexesFollowWrites() throws {
            var store = try smallStore()
            #expect(store.tasks(inProject: 1) == [1, 2, 3])
            #expect(store.countTasks(assignedTo: 2) == 3)
            var task = try #require(store.task(3))
            task.assignee = 3
            try store.update(.task(task), at: 9 * second)
            #expect(store.countTasks(assignedTo: 2) == 2 && store.countTasks(assignedTo: 3) == 1)
            try store.delete(.task(2), at: 10 * second)
            #expect(store.tasks(inProject: 1) == [1, 3] && store.countTasks(inProject: 1) == 2)
            #expect(store.countTasks(assignedTo: 2) == 1)
            // Reserved out of order, inserted out of order: the index stays sorted.
            let a = store.reserveTaskID(), b = store.reserveTaskID()
            try store.insert(.task(TaskItem(id: b, project: 1, title: "b", createdBy: 1, createdAt: 0)), at: 11 * second)
            try store.insert(.task(TaskItem(id: a, project: 1, title: "a", createdBy: 1, createdAt: 0)), at: 12 * second)
            #expect(store.tasks(inProject: 1) == [1, 3, a, b])
            #expect(store.taskItems(inProject: 1).map(\.id) == [1, 3, a, b])
            // Comments by task, in id order.
            for body in ["x", "y"] {
                let id = store.reserveCommentID()
                try store.insert(.comment(Comment(id: id, task: 3, author: 2, body: body, createdAt: 0)), at: 13 * second)
            }
            #expect(store.comments(ofTask: 3).map(\.body) == ["x", "y"])
            #expect(store.comments(ofTask: 1).isEmpty)
        }
    }
}

// MARK: - Replicas

extension VersionedStoreTests {
    @Suite struct Replicas {
        @Test func replicaInsideTheLagReadsTheOldValue() throws {
            var store = try smallStore()
            var replica = ReplicaView(snapshotOf: store)
            var task = try #require(store.task(1))
            task.status = .done
            task.version += 1
            let lsn = try store.update(.task(task), at: 20 * second)
            #expect(replica.task(1, in: store)?.status == .todo, "stale read inside the lag")
            #expect(store.task(1)?.status == .done)
            #expect(replica.pendingChanges(behind: store) == 1)
            #expect(replica.lag(behind: store, now: 23 * second) == 3 * second)
            let applied = replica.apply(upTo: lsn, from: store)
            #expect(applied == 1)
            #expect(replica.task(1, in: store)?.status == .done)
            #expect(replica.lag(behind: store, now: 23 * second) == 0)
            #expect(replica.appliedCommitTime == 20 * second)
        }

        @Test func deletionsReplicate() throws {
            var store = try smallStore()
            var replica = ReplicaView(snapshotOf: store)
            let deleted = try store.delete(.task(2), at: 9 * second)
            #expect(replica.task(2, in: store)?.title == "T2")
            #expect(replica.tasks(inProject: 1, in: store) == [1, 2, 3])
            #expect(replica.countTasks(assignedTo: 2, in: store) == 3)
            replica.apply(upTo: deleted, from: store)
            #expect(replica.task(2, in: store) == nil)
            #expect(replica.tasks(inProject: 1, in: store) == [1, 3])
            #expect(replica.countTasks(assignedTo: 2, in: store) == 2)
        }

        @Test func replicasAtDifferentPositionsDisagreeExactlyAsExpected() throws {
            var store = try smallStore()  // head 8
            var task = try #require(store.task(1))
            var titles: [String] = ["T1"]
            for step in 1...4 {  // LSNs 9…12 rename task 1
                task.title = "T1 v\(step)"
                try store.update(.task(task), at: SimTime(8 + step) * second)
                titles.append(task.title)
            }
            let newTask = store.reserveTaskID()  // LSN 13 inserts task 4
            try store.insert(.task(TaskItem(id: newTask, project: 1, title: "T4", createdBy: 1, createdAt: 0)), at: 13 * second)
            let comment = store.reserveCommentID()  // LSN 14 comments on task 1
            try store.insert(.comment(Comment(id: comment, task: 1, author: 3, body: "c", createdAt: 0)), at: 14 * second)
            try store.delete(.task(3), at: 15 * second)  // LSN 15

            var replicas = (0..<8).map { _ in ReplicaView(appliedLSN: 8) }
            for (index, position) in [8, 9, 10, 11, 12, 13, 14, 15].enumerated() {
                replicas[index].apply(upTo: LSN(position), from: store)
            }
            for (index, replica) in replicas.enumerated() {
                let position = replica.appliedLSN.rawValue
                #expect(position == 8 + index)
                #expect(replica.task(1, in: store)?.title == titles[Swift.min(position - 8, 4)])
                let expectedTasks: [TaskID] = position < 13 ? [1, 2, 3] : position < 15 ? [1, 2, 3, 4] : [1, 2, 4]
                #expect(replica.tasks(inProject: 1, in: store) == expectedTasks, "replica at \(position)")
                #expect(replica.comments(ofTask: 1, in: store).count == (position >= 14 ? 1 : 0))
                #expect((replica.task(newTask, in: store) != nil) == (position >= 13))
            }
            // Every read at every position agrees with a replay of the log from scratch.
            for position in 8...15 {
                let replayed = replay(store, through: LSN(position))
                for id in 1...4 {
                    #expect(store.task(TaskID(id), asOf: LSN(position)) == replayed[id], "task \(id) at \(position)")
                }
            }
        }

        /// The tasks as of `lsn` rebuilt by replaying the log's after-images over the seed (empty).
        private func replay(_ store: PrimaryStore, through lsn: LSN) -> [Int: TaskItem] {
            var tasks: [Int: TaskItem] = [:]
            for change in store.log.changes(after: .zero, through: lsn) where change.key.table == .tasks {
                tasks[change.key.id] = change.newValue.flatMap(TaskItem.init)
            }
            return tasks
        }

        @Test func applyByCommitTimeAndClamping() throws {
            let store = try smallStore()
            var replica = ReplicaView()
            let first = replica.apply(committedThrough: 5 * second + 1, from: store)
            #expect(first == 5)
            #expect(replica.appliedLSN == 5 && replica.appliedCommitTime == 5 * second)
            #expect(replica.user(4, in: store) != nil && replica.project(1, in: store) != nil)
            #expect(replica.task(1, in: store) == nil)
            let clamped = replica.apply(upTo: 100, from: store)
            #expect(clamped == 3, "clamped to the head")
            let backwards = replica.apply(upTo: 2, from: store)
            #expect(backwards == 0, "never backwards")
            #expect(replica.appliedLSN == 8 && replica.appliedChangeCount == 8)
        }
    }
}

// MARK: - Log truncation

extension VersionedStoreTests {
    @Suite struct Truncation {
        @Test func truncationKeepsReplicasCorrect() throws {
            var db = ReplicatedStore(primary: try smallStore(), replicaCount: 2)
            #expect(db.primary.log.count == 0, "both replicas are caught up: nothing retained")
            var time = 9 * second
            var task = try #require(db.task(1, on: .primary))
            for step in 1...10 {
                task.title = "T1 v\(step)"
                task.assignee = step.isMultiple(of: 2) ? 2 : 3
                try db.apply(.update(.task(task)), at: time)
                time += second
            }
            db.replicate(0, upTo: 12)  // replica 0 at 12, replica 1 still at 8
            #expect(db.primary.truncatedThrough == 8 && db.primary.log.count == 10)
            db.replicate(1, upTo: 15)
            #expect(db.primary.truncatedThrough == 12 && db.primary.log.count == 6)
            #expect(db.task(1, on: .replica(0))?.title == "T1 v4")
            #expect(db.task(1, on: .replica(1))?.title == "T1 v7")
            #expect(db.countTasks(assignedTo: 3, on: .replica(0)) == 0)  // v4: assignee 2
            #expect(db.countTasks(assignedTo: 3, on: .replica(1)) == 1)  // v7: assignee 3
            #expect(db.countTasks(assignedTo: 2, on: .primary) == 3)  // v10: assignee 2
            #expect(db.isStale(.task(1), on: .replica(0)) && !db.isStale(.task(2), on: .replica(0)))
            db.replicate(0, committedThrough: time)
            db.replicate(1, committedThrough: time)
            #expect(db.primary.log.count == 0 && db.primary.retainedHistoryCount == 0)
            #expect(db.task(1, on: .replica(1))?.title == "T1 v10")
        }

        @Test func withoutReplicasTheLogIsDroppedAtOnce() throws {
            var db = ReplicatedStore(primary: try smallStore())
            try db.apply(.delete(.task(1)), at: 9 * second)
            #expect(db.primary.log.count == 0 && db.primary.retainedHistoryCount == 0)
            #expect(db.tasks(inProject: 1, on: .primary) == [2, 3])
            let added = db.addReplica()
            #expect(db.position(of: .replica(added)) == db.primary.headLSN)
        }

        /// A detached replica keeps answering at its last position while the log holds it, and
        /// at the oldest retained position once the log is truncated past it — never as of
        /// history that is gone (this crashed a run: a list's row count read on a replica
        /// decommissioned while the request waited for a connection).
        @Test func aDetachedReplicaReadsNoHistoryTheLogNoLongerHolds() throws {
            var db = ReplicatedStore(primary: try smallStore(), replicaCount: 2)
            var task = try #require(db.task(1, on: .primary))
            for step in 1...4 {  // LSNs 9…12, at 9 s … 12 s
                task.title = "T1 v\(step)"
                try db.apply(.update(.task(task)), at: SimTime(8 + step) * second)
            }
            db.replicate(1, upTo: 10)  // replica 1 at 10 (v2), replica 0 still at 8 (T1)
            db.detachReplica(1)        // the log is kept only for replica 0: through 8
            #expect(db.readPosition(of: .replica(1)) == 10)
            #expect(db.task(1, on: .replica(1))?.title == "T1 v2", "inside the log: its own position")
            db.replicate(0, upTo: 12)  // replica 0 caught up: the log is truncated through 12
            #expect(db.primary.truncatedThrough == 12)
            #expect(db.readPosition(of: .replica(1)) == 12)
            #expect(db.position(of: .replica(1)) == 10, "its replication position is unchanged")
            #expect(db.task(1, on: .replica(1))?.title == "T1 v4")
            #expect(!db.isStale(.task(1), on: .replica(1)), "what it read is the row as of 12")
            #expect(db.tasks(inProject: 1, on: .replica(1)) == [1, 2, 3])
            #expect(db.readPosition(of: .replica(0)) == 12, "an attached replica reads at its own position")
        }

        @Test func lagAndRemovalOfReplicas() throws {
            var db = ReplicatedStore(primary: try smallStore(), replicaCount: 2)
            try db.apply(.delete(.task(1)), at: 10 * second)
            #expect(db.lag(of: .replica(1), now: 12 * second) == 2 * second)
            #expect(db.lag(of: .primary, now: 12 * second) == 0)
            db.replicate(0, upTo: db.primary.headLSN)
            #expect(db.primary.log.count == 1)
            db.removeLastReplica()
            #expect(db.primary.log.count == 0)
        }
    }
}

// MARK: - Seeding

extension VersionedStoreTests {
    @Suite struct Seeding {
        private func seeded(_ seed: UInt64, users: Int = 1_000) -> PrimaryStore {
            var random = RandomStreamFactory(rootSeed: seed).stream(named: "dataset")
            return PrimaryStore.seed(users: users, projects: users / 10, tasksPerProject: 20, commentsPerTask: 1, random: &random)
        }

        @Test func sizesAndIndexes() {
            let store = seeded(1)
            #expect(store.userCount == 1_000 && store.projectCount == 100 && store.taskCount == 2_000)
            #expect(store.commentCount == 2_000 && store.headLSN == .zero && store.log.count == 0)
            #expect(store.highestTaskID == 2_000)
            #expect(store.tasks(inProject: 1) == (1...20).map { TaskID($0) })
            #expect(store.tasks(inProject: 100) == (1_981...2_000).map { TaskID($0) })
            let assigned = (1...1_000).reduce(0) { $0 + store.countTasks(assignedTo: UserID($1)) }
            let counted = (1...2_000).filter { store.task(TaskID($0))?.assignee != nil }.count
            #expect(assigned == counted && counted > 1_400 && counted < 1_800)
            for id in 1...100 {
                let project = store.project(ProjectID(id))!
                #expect(project.memberIDs.count == 10)
                for task in store.taskItems(inProject: project.id) {
                    #expect(project.isMember(task.createdBy))
                    #expect(task.assignee.map(project.isMember) ?? true)
                }
            }
            #expect(store.comments(ofTask: 7).map(\.id) == [7])
        }

        @Test func deterministicForASeedAndDifferentForAnother() {
            let a = seeded(42), b = seeded(42), c = seeded(43)
            func fingerprint(_ store: PrimaryStore) -> [RowValue] {
                (1...1_000).compactMap { store.row(.user(UserID($0))) }
                    + (1...100).compactMap { store.row(.project(ProjectID($0))) }
                    + (1...2_000).compactMap { store.row(.task(TaskID($0))) }
                    + (1...2_000).compactMap { store.row(.comment(CommentID($0))) }
            }
            #expect(fingerprint(a) == fingerprint(b))
            #expect(fingerprint(a) != fingerprint(c))
        }

        @Test func seededStoreAcceptsWritesAndReplicates() throws {
            var db = ReplicatedStore(primary: seeded(7), replicaCount: 1)
            let id = db.reserveTaskID()
            #expect(id == 2_001)
            let owner = db.project(5, on: .primary)!.owner
            try db.apply(.insert(.task(TaskItem(id: id, project: 5, title: "new", createdBy: owner, createdAt: 0))), at: 1)
            #expect(db.tasks(inProject: 5, on: .replica(0)).count == 20)
            #expect(db.tasks(inProject: 5, on: .primary).last == id)
            db.replicate(0, upTo: db.primary.headLSN)
            #expect(db.tasks(inProject: 5, on: .replica(0)).count == 21)
        }
    }
}
