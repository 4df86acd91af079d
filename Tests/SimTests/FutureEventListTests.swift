import Testing
@testable import Sim

// MARK: - One conformance suite for every future-event list

/// The implementations under test; every test below runs against each of them.
enum FutureEventListKind: String, CaseIterable, CustomTestStringConvertible {
    case quaternaryHeap, calendarQueue
    var testDescription: String { rawValue }

    /// Runs `body` with an empty list of this kind.
    func with<Result>(_ body: (inout any FutureEventList & ~Copyable) -> Result) -> Result {
        var list: any FutureEventList & ~Copyable
        switch self {
        case .quaternaryHeap: list = QuaternaryHeap()
        case .calendarQueue: list = CalendarQueue()
        }
        return body(&list)
    }
}

private func drain(_ list: inout any FutureEventList & ~Copyable) -> [Event] {
    var out: [Event] = []
    while let event = list.removeFirst() { out.append(event) }
    return out
}

@Suite struct FutureEventListConformanceTests {
    @Test(arguments: FutureEventListKind.allCases)
    func emptyListReturnsNothing(kind: FutureEventListKind) {
        kind.with { list in
            let removed = list.removeFirst()
            #expect(removed == nil)
            #expect(list.first == nil)
            #expect(list.count == 0)
        }
    }

    @Test(arguments: FutureEventListKind.allCases)
    func tiesAtEqualTimeAndPriorityAreFirstInFirstOut(kind: FutureEventListKind) {
        kind.with { list in
            for sequence in 0..<1_000 {
                list.insert(Event(time: 5, priority: 0, sequence: UInt64(sequence), kind: 0, target: UInt32(sequence)))
            }
            #expect(drain(&list).map(\.target) == Array(0..<1_000))
        }
    }

    @Test(arguments: FutureEventListKind.allCases)
    func lowerPriorityValueFiresFirstAtEqualTime(kind: FutureEventListKind) {
        kind.with { list in
            let priorities = [3, -2, 0, 7, -2, 3, EventPriority.range.lowerBound, EventPriority.range.upperBound]
            for (sequence, priority) in priorities.enumerated() {
                list.insert(Event(time: 42, priority: priority, sequence: UInt64(sequence), kind: 0, target: 0))
            }
            let fired = drain(&list)
            #expect(fired.map(\.priority) == priorities.sorted())
            // Equal priorities keep their scheduling order.
            let minusTwos = fired.filter { $0.priority == -2 }.map(\.sequence)
            #expect(minusTwos == [1, 4])
        }
    }

    /// Random inserts and removals, interleaved, against a sorted reference.
    @Test(arguments: FutureEventListKind.allCases, [1, 1_000, 1_000_000_000])
    func matchesSortedReferenceUnderRandomOperations(kind: FutureEventListKind, timeSpread: UInt64) {
        kind.with { list in
            var generator = TestGenerator(state: timeSpread)
            var reference: [Event] = []
            var sequence: UInt64 = 0
            var now: SimTime = 0
            for _ in 0..<6_000 {
                if generator.next(below: 3) < 2 || reference.isEmpty {
                    let time = now + SimTime(generator.next(below: timeSpread))
                    let event = Event(time: time, priority: Int(generator.next(below: 3)) - 1, sequence: sequence,
                                      kind: 0, target: 0)
                    sequence += 1
                    list.insert(event)
                    reference.append(event)
                } else {
                    reference.sort { $0.precedes($1) }
                    let expected = reference.removeFirst()
                    #expect(list.first == expected)
                    let actual = list.removeFirst()
                    #expect(actual == expected)
                    now = expected.time
                }
                #expect(list.count == reference.count)
            }
            reference.sort { $0.precedes($1) }
            #expect(drain(&list) == reference)
        }
    }

    /// The classic "hold" workload at 100,000 pending timers: remove the earliest, schedule
    /// it again a random (exponential-like) time later. The output must be non-decreasing.
    @Test(arguments: FutureEventListKind.allCases)
    func holdsOneHundredThousandTimersInOrder(kind: FutureEventListKind) {
        kind.with { list in
            var generator = TestGenerator(state: 99)
            var sequence: UInt64 = 0
            for _ in 0..<100_000 {
                list.insert(Event(time: SimTime(generator.next(below: 10_000_000_000)), priority: 0,
                                  sequence: sequence, kind: 0, target: 0))
                sequence += 1
            }
            var previous = Event(time: 0, priority: EventPriority.range.lowerBound, sequence: 0, kind: 0, target: 0)
            var outOfOrder = 0
            for _ in 0..<200_000 {
                let event = list.removeFirst()!
                if event.precedes(previous) { outOfOrder += 1 }
                previous = event
                let delay = SimTime(generator.next(below: 20_000_000_000))
                list.insert(Event(time: event.time + delay, priority: 0, sequence: sequence, kind: 0, target: 0))
                sequence += 1
            }
            #expect(outOfOrder == 0)
            #expect(list.count == 100_000)
        }
    }
}

// MARK: - Scheduler and run loop

/// Records the order in which events fire.
struct RecordingModel: SimulationModel {
    var fired: [(time: SimTime, kind: UInt32, target: UInt32)] = []
    mutating func handle<List: FutureEventList & ~Copyable>(_ event: Event, scheduler: inout EventScheduler<List>) {
        fired.append((scheduler.now, event.kind, event.target))
        if event.kind == 1 {  // kind 1 schedules a follow-up 10 ns later
            scheduler.schedule(after: 10, kind: 2, target: event.target)
        }
    }
}

@Suite struct SchedulerTests {
    @Test func cancelledEventNeverFires() {
        var simulation = Simulation(model: RecordingModel(), list: QuaternaryHeap())
        simulation.scheduler.schedule(at: 5, kind: 0, target: 1)
        let doomed = simulation.scheduler.schedule(at: 6, kind: 0, target: 2)
        simulation.scheduler.schedule(at: 7, kind: 0, target: 3)
        simulation.scheduler.cancel(doomed)
        simulation.run(until: 100)
        #expect(simulation.model.fired.map(\.target) == [1, 3])
        #expect(simulation.scheduler.eventsHandled == 2)
    }

    @Test func runUntilLeavesEventsAtTheEndPendingAndSetsTheClock() {
        var simulation = Simulation(model: RecordingModel(), list: CalendarQueue())
        simulation.scheduler.schedule(at: 10, kind: 0, target: 1)
        simulation.scheduler.schedule(at: 20, kind: 0, target: 2)
        simulation.run(until: 20)
        #expect(simulation.model.fired.map(\.target) == [1])
        #expect(simulation.now == 20)
        #expect(simulation.scheduler.pendingCount == 1)
        simulation.run(until: 21)
        #expect(simulation.model.fired.map(\.target) == [1, 2])
    }

    @Test func stepHandlesOneEventAndModelsScheduleFollowUps() {
        var simulation = Simulation(model: RecordingModel(), list: QuaternaryHeap())
        simulation.scheduler.schedule(at: 3, kind: 1, target: 9)
        let first = simulation.step()
        #expect(first && simulation.now == 3)
        let second = simulation.step()
        #expect(second && simulation.now == 13)
        #expect(simulation.model.fired.map(\.kind) == [1, 2])
        let third = simulation.step()
        #expect(!third)
    }

    @Test func eventsScheduledForNowFireAfterThoseAlreadyPendingAtNow() {
        var simulation = Simulation(model: RecordingModel(), list: QuaternaryHeap())
        simulation.scheduler.schedule(at: 0, kind: 1, target: 1)  // schedules kind 2 at 10
        simulation.scheduler.schedule(at: 10, kind: 0, target: 2)
        simulation.run(until: 11)
        #expect(simulation.model.fired.map(\.target) == [1, 2, 1])
    }

    @Test func timeConversionsRoundToNanoseconds() {
        #expect(SimClock.time(seconds: 1.5) == 1_500_000_000)
        #expect(SimClock.time(seconds: 0.000_000_000_4) == 0)
        #expect(SimClock.seconds(250_000_000) == 0.25)
    }
}
