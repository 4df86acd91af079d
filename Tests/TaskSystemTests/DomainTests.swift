// DomainTests.swift — permissions matrix, validation, workflow, commands and their events.

import Testing
import Sim
@testable import TaskSystem

// MARK: - Fixtures

/// A project owned by user 1 with members 2 (member), 3 (viewer); 4 is an outsider, 9 an admin.
private enum Fixture {
    static let owner = User(id: 1, name: "Owner", email: "o@x.io", role: .member)
    static let member = User(id: 2, name: "Member", email: "m@x.io", role: .member)
    static let viewer = User(id: 3, name: "Viewer", email: "v@x.io", role: .viewer)
    static let outsider = User(id: 4, name: "Outsider", email: "out@x.io", role: .member)
    static let admin = User(id: 9, name: "Admin", email: "a@x.io", role: .admin)
    static let project = Project(id: 7, name: "Apollo", owner: 1, memberIDs: [3, 2])
    static let task = TaskItem(
        id: 40, project: 7, title: "Write tests", status: .inProgress, assignee: 2, createdBy: 1, createdAt: 100)
}

@Suite struct DomainTests {}

// MARK: - Identifiers and projects

extension DomainTests {
    @Suite struct Identifiers {
        @Test func identifiersOrderAndPrintAsIntegers() {
            #expect(UserID(3) < UserID(10))
            #expect([TaskID(5), TaskID(2), TaskID(9)].sorted() == [2, 5, 9])
            #expect("tasks:project:\(ProjectID(42))" == "tasks:project:42")
            #expect(CommentID(rawValue: 8) == CommentID(8))
        }

        @Test func projectMembersAreSortedUniqueAndIncludeTheOwner() {
            var project = Project(id: 1, name: "P", owner: 5, memberIDs: [9, 2, 9, 5])
            #expect(project.memberIDs == [2, 5, 9])
            #expect(project.isMember(5) && project.isMember(9) && !project.isMember(3))
            let added = project.addMember(3), addedAgain = project.addMember(3)
            #expect(added && !addedAgain)
            #expect(project.memberIDs == [2, 3, 5, 9])
            let ownerRemoved = project.removeMember(5), memberRemoved = project.removeMember(2)
            #expect(!ownerRemoved, "the owner stays")
            #expect(memberRemoved)
            #expect(project.memberIDs == [3, 5, 9])
        }
    }
}

// MARK: - Permissions

extension DomainTests {
    @Suite struct Permissions {
        @Test func effectivePermissionMatrix() {
            let p = Fixture.project
            #expect(PermissionService.permission(of: Fixture.owner, on: p) == .admin)
            #expect(PermissionService.permission(of: Fixture.member, on: p) == .write)
            #expect(PermissionService.permission(of: Fixture.viewer, on: p) == .read)
            #expect(PermissionService.permission(of: Fixture.outsider, on: p) == nil)
            #expect(PermissionService.permission(of: Fixture.admin, on: p) == .admin)
            // An owner whose role is viewer still administers their own project.
            let viewerOwner = User(id: 1, name: "O", email: "o@x.io", role: .viewer)
            #expect(PermissionService.permission(of: viewerOwner, on: p) == .admin)
        }

        @Test(arguments: [
            (Fixture.owner, [true, true, true, true, true, true, true]),
            (Fixture.member, [true, true, true, true, true, false, false]),
            (Fixture.viewer, [true, false, false, false, false, false, false]),
            (Fixture.outsider, [false, false, false, false, false, false, false]),
            (Fixture.admin, [true, true, true, true, true, true, true]),
        ])
        func actionMatrix(user: User, expected: [Bool]) {
            // Order: readTasks, createTask, updateTask, assignTask, comment, deleteTask, manageMembers.
            let allowed = ProjectAction.allCases.map { PermissionService.isAllowed(user, to: $0, in: Fixture.project) }
            #expect(allowed == expected)
            let listed = PermissionService.allowedActions(of: user, in: Fixture.project)
            #expect(listed == zip(ProjectAction.allCases, expected).filter(\.1).map(\.0))
        }

        @Test func commandsRefuseUnauthorisedActors() {
            #expect(throws: DomainError.forbidden(user: 4, action: .createTask, project: 7)) {
                try TaskCommands.create(CreateTask(title: "x"), id: 1, in: Fixture.project, by: Fixture.outsider, at: 0)
            }
            #expect(throws: DomainError.forbidden(user: 3, action: .comment, project: 7)) {
                try TaskCommands.comment(
                    AddComment(body: "hi"), id: 1, on: Fixture.task, in: Fixture.project, by: Fixture.viewer, at: 0)
            }
            #expect(throws: DomainError.forbidden(user: 2, action: .deleteTask, project: 7)) {
                try TaskCommands.delete(Fixture.task, in: Fixture.project, by: Fixture.member)
            }
            #expect(throws: DomainError.forbidden(user: 2, action: .manageMembers, project: 7)) {
                try ProjectCommands.addMember(4, to: Fixture.project, by: Fixture.member)
            }
        }
    }
}

// MARK: - Validation and workflow

extension DomainTests {
    @Suite struct ValidationRules {
        @Test func titlesAreTrimmedAndBounded() throws {
            #expect(try Validation.title("  Ship it \n") == "Ship it")
            #expect(throws: DomainError.invalidTitle(.empty)) { try Validation.title("") }
            #expect(throws: DomainError.invalidTitle(.empty)) { try Validation.title(" \t\n ") }
            let limit = String(repeating: "a", count: 200)
            #expect(try Validation.title(limit) == limit)
            #expect(throws: DomainError.invalidTitle(.tooLong(length: 201, limit: 200))) {
                try Validation.title(limit + "b")
            }
            // Characters, not bytes: 200 accented letters (400 UTF-8 bytes) are a valid title.
            let accented = String(repeating: "é", count: 200)
            #expect(try Validation.title(accented) == accented)
            // Padding does not count against the limit.
            #expect(try Validation.title("   " + limit + "   ") == limit)
        }

        @Test func otherTextRules() throws {
            #expect(try Validation.description("") == "")
            #expect(throws: DomainError.invalidComment(.empty)) { try Validation.commentBody("  ") }
            #expect(try Validation.email(" a@b.c ") == "a@b.c")
            #expect(throws: DomainError.invalidEmail(.malformed)) { try Validation.email("a@") }
            #expect(throws: DomainError.invalidEmail(.malformed)) { try Validation.email("a@b@c") }
        }

        @Test func statusTransitions() {
            for from in TaskStatus.allCases {
                for to in TaskStatus.allCases {
                    let expected = from != .done || to == .done || to == .inProgress
                    #expect(from.canTransition(to: to) == expected, "\(from) → \(to)")
                }
            }
            #expect(!TaskStatus.done.canTransition(to: .todo))
            #expect(!TaskStatus.done.canTransition(to: .review))
            #expect(TaskStatus.todo.canTransition(to: .done))
            #expect(TaskStatus.review.canTransition(to: .todo))
        }
    }
}

// MARK: - Commands and events

extension DomainTests {
    @Suite struct Commands {
        @Test func createProducesTaskAndEvent() throws {
            let outcome = try TaskCommands.create(
                CreateTask(title: " Plan ", description: "d", assignee: 3), id: 41, in: Fixture.project,
                by: Fixture.member, at: 500)
            let task = outcome.value
            #expect(task.id == 41 && task.project == 7 && task.title == "Plan" && task.status == .todo)
            #expect(task.assignee == 3 && task.createdBy == 2 && task.version == 1)
            #expect(task.createdAt == 500 && task.updatedAt == 500)
            #expect(outcome.events == [.taskCreated(task: 41, project: 7, actor: 2, assignee: 3)])
            let event = outcome.events[0]
            #expect(event.projectID == 7 && event.taskID == 41 && event.actor == 2)
            #expect(event.usersWithChangedTaskCounts == [2, 3])
        }

        @Test func createRejectsNonMemberAssigneeAndBadTitle() {
            #expect(throws: DomainError.assigneeNotMember(user: 4, project: 7)) {
                try TaskCommands.create(
                    CreateTask(title: "x", assignee: 4), id: 1, in: Fixture.project, by: Fixture.owner, at: 0)
            }
            #expect(throws: DomainError.invalidTitle(.empty)) {
                try TaskCommands.create(CreateTask(title: " "), id: 1, in: Fixture.project, by: Fixture.owner, at: 0)
            }
        }

        @Test func updateEmitsOneEventPerKindOfChangeAndBumpsVersionOnce() throws {
            let outcome = try TaskCommands.update(
                Fixture.task, with: UpdateTask(title: "Write more tests", status: .review, expectedVersion: 1),
                in: Fixture.project, by: Fixture.member, at: 900)
            #expect(outcome.value.version == 2 && outcome.value.updatedAt == 900)
            #expect(outcome.value.title == "Write more tests" && outcome.value.status == .review)
            #expect(
                outcome.events == [
                    .taskUpdated(task: 40, project: 7, actor: 2, assignee: 2),
                    .taskStatusChanged(task: 40, project: 7, actor: 2, assignee: 2, from: .inProgress, to: .review),
                ])
            #expect(outcome.events.map(\.projectID) == [7, 7])
            #expect(outcome.events[0].usersWithChangedTaskCounts == [])
            #expect(outcome.events[1].usersWithChangedTaskCounts == [2])
        }

        @Test func noOpUpdateChangesNothing() throws {
            let outcome = try TaskCommands.update(
                Fixture.task, with: UpdateTask(title: "Write tests", status: .inProgress), in: Fixture.project,
                by: Fixture.member, at: 900)
            #expect(outcome.value == Fixture.task && outcome.events.isEmpty && !outcome.changed)
        }

        @Test func updateChecksVersionThenWorkflow() throws {
            #expect(throws: DomainError.versionConflict(task: 40, expected: 3, actual: 1)) {
                try TaskCommands.update(
                    Fixture.task, with: UpdateTask(title: "x", expectedVersion: 3), in: Fixture.project,
                    by: Fixture.member, at: 0)
            }
            var done = Fixture.task
            done.status = .done
            #expect(throws: DomainError.invalidStatusTransition(from: .done, to: .todo)) {
                try TaskCommands.update(
                    done, with: UpdateTask(status: .todo), in: Fixture.project, by: Fixture.member, at: 0)
            }
            let reopened = try TaskCommands.update(
                done, with: UpdateTask(status: .inProgress), in: Fixture.project, by: Fixture.member, at: 0)
            #expect(reopened.value.status == .inProgress)
            let elsewhere = Project(id: 8, name: "Other", owner: 1)
            #expect(throws: DomainError.wrongProject(task: 40, project: 8)) {
                try TaskCommands.update(
                    Fixture.task, with: UpdateTask(title: "x"), in: elsewhere, by: Fixture.admin, at: 0)
            }
        }

        @Test func assignCarriesBothAssignees() throws {
            let outcome = try TaskCommands.assign(
                Fixture.task, with: AssignTask(assignee: 3), in: Fixture.project, by: Fixture.owner, at: 1_000)
            #expect(outcome.value.assignee == 3 && outcome.value.version == 2)
            #expect(outcome.events == [.taskAssigned(task: 40, project: 7, actor: 1, from: 2, to: 3)])
            #expect(outcome.events[0].usersWithChangedTaskCounts == [2, 3])
            let unassigned = try TaskCommands.assign(
                Fixture.task, with: AssignTask(assignee: nil), in: Fixture.project, by: Fixture.owner, at: 1_000)
            #expect(unassigned.events[0].usersWithChangedTaskCounts == [2])
            let same = try TaskCommands.assign(
                Fixture.task, with: AssignTask(assignee: 2), in: Fixture.project, by: Fixture.owner, at: 1_000)
            #expect(same.events.isEmpty && same.value == Fixture.task)
            #expect(throws: DomainError.assigneeNotMember(user: 4, project: 7)) {
                try TaskCommands.assign(Fixture.task, with: AssignTask(assignee: 4), in: Fixture.project, by: Fixture.owner, at: 0)
            }
        }

        @Test func commentAndDeleteEvents() throws {
            let comment = try TaskCommands.comment(
                AddComment(body: " LGTM "), id: 77, on: Fixture.task, in: Fixture.project, by: Fixture.viewer.promoted,
                at: 5)
            #expect(comment.value == Comment(id: 77, task: 40, author: 3, body: "LGTM", createdAt: 5))
            #expect(comment.events == [.commentAdded(comment: 77, task: 40, project: 7, actor: 3)])
            #expect(comment.events[0].taskID == 40 && comment.events[0].projectID == 7)
            let deleted = try TaskCommands.delete(Fixture.task, in: Fixture.project, by: Fixture.owner)
            #expect(deleted.events == [.taskDeleted(task: 40, project: 7, actor: 1, assignee: 2)])
            #expect(deleted.events[0].usersWithChangedTaskCounts == [2])
        }

        @Test func membershipAndProfileEvents() throws {
            let added = try ProjectCommands.addMember(4, to: Fixture.project, by: Fixture.owner)
            #expect(added.value.isMember(4))
            #expect(added.events == [.memberAdded(project: 7, user: 4, actor: 1)])
            #expect(added.events[0].usersWithChangedAccess == [4] && added.events[0].taskID == nil)
            #expect(throws: DomainError.alreadyMember(user: 2, project: 7)) {
                try ProjectCommands.addMember(2, to: Fixture.project, by: Fixture.admin)
            }
            #expect(throws: DomainError.cannotRemoveOwner(project: 7)) {
                try ProjectCommands.removeMember(1, from: Fixture.project, by: Fixture.admin)
            }
            let removed = try ProjectCommands.removeMember(3, from: Fixture.project, by: Fixture.admin)
            #expect(!removed.value.isMember(3) && removed.events == [.memberRemoved(project: 7, user: 3, actor: 9)])

            let renamed = try UserCommands.updateProfile(Fixture.member, name: "M2", by: Fixture.member)
            #expect(renamed.value.name == "M2" && renamed.events == [.userUpdated(user: 2, actor: 2)])
            #expect(renamed.events[0].projectID == nil && renamed.events[0].usersWithChangedAccess == [2])
            #expect(throws: DomainError.forbiddenProfileEdit(actor: 4, user: 2)) {
                try UserCommands.updateProfile(Fixture.member, name: "X", by: Fixture.outsider)
            }
        }
    }
}

extension User {
    /// The same user with the ordinary member role.
    fileprivate var promoted: User { User(id: id, name: name, email: email, role: .member) }
}
