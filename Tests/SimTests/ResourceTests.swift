// ResourceTests.swift — TokenPool (QueuePool semantics), MultiServerQueue disciplines and
// statistics, Store. Every expected value is computed by hand in the comments.

import Testing
@testable import Sim

private let second = SimClock.nanosecondsPerSecond

/// Equality up to rounding: `SimClock.seconds` multiplies by 1e-9, so e.g. 31 s converts to
/// 31.000000000000004 and time averages over such instants are off in the last bits.
private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }

// MARK: - A tiny model that drives a TokenPool on the real kernel

/// Requests a connection at given times, holds it for a given time, and handles pool timeouts
/// the way an owner must: the timeout event carries the ticket; a `nil` from `timeOut` means
/// the waiter was served first and the event is ignored.
private struct PoolModel: SimulationModel {
    enum Kind: UInt32 { case request, release, timeout }
    enum Outcome: Equatable {
        case granted(request: Int, overflow: Bool)
        case grantedAfterWait(request: Int, waitedSince: SimTime)
        case timedOut(request: Int)
        case ignoredTimeout
        case released(request: Int, handedTo: Int?)
    }

    var pool: TokenPool<Int>
    /// How long request `i` holds its connection.
    var holds: [SimTime]
    /// What happened, in order (a release event's target is the request holding the connection).
    var log: [(time: SimTime, outcome: Outcome)] = []
    /// Snapshots (checkedOut, overflow, waiting) after each event.
    var states: [(time: SimTime, checkedOut: Int, overflow: Int, waiting: Int)] = []

    mutating func handle<List: FutureEventList & ~Copyable>(_ event: Event, scheduler: inout EventScheduler<List>) {
        let now = scheduler.now
        switch Kind(rawValue: event.kind)! {
        case .request:
            let request = Int(event.target)
            switch pool.acquire(request, at: now) {
            case .granted(let overflow):
                log.append((now, .granted(request: request, overflow: overflow)))
                scheduler.schedule(after: holds[request], kind: Kind.release.rawValue, target: event.target)
            case .queued(let ticket):
                scheduler.schedule(at: now + pool.timeout, kind: Kind.timeout.rawValue, target: ticket.eventTarget)
            }
        case .release:
            let next = pool.release(at: now)
            log.append((now, .released(request: Int(event.target), handedTo: next?.requester)))
            if let next {
                log.append((now, .grantedAfterWait(request: next.requester, waitedSince: next.since)))
                scheduler.schedule(after: holds[next.requester], kind: Kind.release.rawValue,
                                   target: UInt32(next.requester))
            }
        case .timeout:
            if let request = pool.timeOut(pool.ticket(eventTarget: event.target), at: now) {
                log.append((now, .timedOut(request: request)))
            } else {
                log.append((now, .ignoredTimeout))
            }
        }
        states.append((now, pool.checkedOut, pool.overflow, pool.waiting))
    }

    /// A simulation in which request `i` arrives at `arrivals[i]` and holds for `holds[i]`.
    static func simulation(pool: TokenPool<Int>, arrivals: [SimTime], holds: [SimTime])
        -> Simulation<PoolModel, QuaternaryHeap> {
        var sim = Simulation(model: PoolModel(pool: pool, holds: holds), list: QuaternaryHeap())
        for (request, time) in arrivals.enumerated() {
            sim.scheduler.schedule(at: time, kind: Kind.request.rawValue, target: UInt32(request))
        }
        return sim
    }
}

// MARK: - Suite

@Suite struct ResourceTests {
    // MARK: TokenPool on the kernel

    @Suite struct ResourceTestsTokenPool {
        @Test func secondRequestTimesOutAtExactly31Seconds() {
            let pool = TokenPool<Int>(size: 1, maxOverflow: 0, timeout: 30 * second)
            var sim = PoolModel.simulation(pool: pool, arrivals: [0, 1 * second], holds: [100 * second, 5 * second])
            sim.run(until: 200 * second)
            let log = sim.model.log
            #expect(log.count == 3)
            #expect(log.map { $0.time } == [0, 31 * second, 100 * second])
            #expect(log.map { $0.outcome } == [.granted(request: 0, overflow: false),
                                           .timedOut(request: 1),
                                           .released(request: 0, handedTo: nil)])
            let p = sim.model.pool
            #expect(p.checkedOut == 0 && p.overflow == 0 && p.waiting == 0 && p.checkedIn == 1)
            #expect(p.grantedTotal == 1)
            #expect(p.timeoutsTotal == 1)
            #expect(p.maxWaiting == 1)
            #expect(p.overflowOpenedTotal == 0)
            // Checked out: 1 on [0, 100), 0 on [100, 200) → area 100 over 200 s.
            #expect(close(p.checkedOutLevel.mean(at: 200), 0.5))
            // Waiting: 1 on [1, 31) → area 30 over 200 s.
            #expect(close(p.waitingLevel.mean(at: 200), 0.15))
            // Utilisation 1/(1+0) = 1 on [0, 100): one rise above 0.8.
            #expect(close(p.utilizationLevel.mean(at: 200), 0.5))
            #expect(p.highUtilizationCount == 1)
            #expect(!p.isHighlyUtilized)
        }

        @Test func overflowIsGrantedAtOnceAndClosedWhenReturnedToAFullPool() {
            // Request 0: t=0, holds 100 s (pooled). Request 1: t=1, holds 10 s (overflow).
            // Request 2: t=120, holds 10 s (pooled again: the overflow connection was closed).
            let pool = TokenPool<Int>(size: 1, maxOverflow: 1, timeout: 30 * second)
            var sim = PoolModel.simulation(pool: pool, arrivals: [0, 1 * second, 120 * second],
                                           holds: [100 * second, 10 * second, 10 * second])
            sim.run(until: 200 * second)
            #expect(sim.model.log.map { $0.outcome } == [
                .granted(request: 0, overflow: false),
                .granted(request: 1, overflow: true),
                .released(request: 1, handedTo: nil),   // t=11: pooled one still out → kept, idle
                .released(request: 0, handedTo: nil),   // t=100: pool already full → closed
                .granted(request: 2, overflow: false),
                .released(request: 2, handedTo: nil),
            ])
            #expect(sim.model.log.map { $0.time } == [0, 1, 11, 100, 120, 130].map { $0 * second })
            let states = sim.model.states.map { [$0.checkedOut, $0.overflow, $0.waiting] }
            #expect(states == [[1, 0, 0], [2, 1, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0]])
            let p = sim.model.pool
            #expect(p.grantedTotal == 3 && p.overflowOpenedTotal == 1 && p.timeoutsTotal == 0)
            #expect(p.maxWaiting == 0)
            // Checked out: 1·1 + 2·10 + 1·89 + 0·20 + 1·10 + 0·70 = 120 over 200 s.
            #expect(close(p.checkedOutLevel.mean(at: 200), 0.6))
            // Utilisation co/(size+overflow): 1 on [0,1), 2/2 on [1,11), 1/2 on [11,100), 0 on
            // [100,120), 1 on [120,130): area 1 + 10 + 44.5 + 10 = 65.5 over 200 s.
            #expect(close(p.utilizationLevel.mean(at: 200), 0.3275))
            // Rises above 0.8 at t=0 and t=120 (it stays above through t=1, drops at t=11).
            #expect(p.highUtilizationCount == 2)
        }

        @Test func waitersAreServedInArrivalOrderAndLateTimeoutsAreIgnored() {
            // Request 0 holds [0, 10); requests 1, 2, 3 arrive at 3, 1, 2 s (so they queue as
            // 2, 3, 1) and hold 2 s each: served at 10, 12, 14 — before their timeouts at 31
            // (request 2), 32 (request 3) and 33 (request 1), which are ignored.
            let pool = TokenPool<Int>(size: 1, maxOverflow: 0, timeout: 30 * second)
            var sim = PoolModel.simulation(pool: pool, arrivals: [0, 3, 1, 2].map { $0 * second },
                                           holds: [10, 2, 2, 2].map { $0 * second })
            sim.run(until: 100 * second)
            let grants = sim.model.log.compactMap { entry -> Int? in
                if case .grantedAfterWait(let request, _) = entry.outcome { return request }
                return nil
            }
            #expect(grants == [2, 3, 1])
            let grantTimes = sim.model.log.compactMap { entry -> SimTime? in
                if case .grantedAfterWait = entry.outcome { return entry.time }
                return nil
            }
            #expect(grantTimes == [10, 12, 14].map { $0 * second })
            let ignored = sim.model.log.filter { $0.outcome == .ignoredTimeout }.map { $0.time }
            #expect(ignored == [31, 32, 33].map { $0 * second })
            let p = sim.model.pool
            #expect(p.timeoutsTotal == 0 && p.grantedTotal == 4 && p.maxWaiting == 3)
            // Waiting: 1 on [1,2), 2 on [2,3), 3 on [3,10), 2 on [10,12), 1 on [12,14):
            // area 1 + 2 + 21 + 4 + 2 = 30 over 100 s.
            #expect(close(p.waitingLevel.mean(at: 100), 0.3))
        }

        @Test func staleTimeoutOfAGrantedWaiterDoesNotRemoveTheNextWaiter() {
            // Request 0 holds [0, 10). Request 1 waits from 1 s, is granted at 10 s and holds 30 s
            // (to 40 s); its timeout at 31 s is stale. Request 2 waits from 6 s and must still be
            // waiting after that stale event, then time out at exactly 36 s.
            let pool = TokenPool<Int>(size: 1, maxOverflow: 0, timeout: 30 * second)
            var sim = PoolModel.simulation(pool: pool, arrivals: [0, 1, 6].map { $0 * second },
                                           holds: [10, 30, 1].map { $0 * second })
            sim.run(until: 100 * second)
            let log = sim.model.log
            #expect(log.map { $0.outcome } == [
                .granted(request: 0, overflow: false),
                .released(request: 0, handedTo: 1),
                .grantedAfterWait(request: 1, waitedSince: 1 * second),
                .ignoredTimeout,
                .timedOut(request: 2),
                .released(request: 1, handedTo: nil),
            ])
            #expect(log.map { $0.time } == [0, 10, 10, 31, 36, 40].map { $0 * second })
            let afterStale = sim.model.states.first { $0.time == 31 * second }
            #expect(afterStale?.waiting == 1)
            #expect(sim.model.pool.timeoutsTotal == 1 && sim.model.pool.grantedTotal == 2)
        }
    }

    // MARK: TokenPool API directly

    @Suite struct ResourceTestsTokenPoolDirect {
        /// `grantsAtOnce` says beforehand what `acquire` then does: granted while an idle or a
        /// new overflow connection is there, queued once size + max_overflow are out (and never
        /// queued with unlimited overflow).
        @Test func grantsAtOnceForetellsAcquire() {
            for (size, maxOverflow) in [(2, 1), (1, 0), (0, -1), (3, -1)] {
                var pool = TokenPool<Int>(size: size, maxOverflow: maxOverflow)
                for request in 0..<8 {
                    let foretold = pool.grantsAtOnce
                    let granted = if case .granted = pool.acquire(request, at: SimTime(request)) { true } else { false }
                    #expect(foretold == granted, "size \(size), max_overflow \(maxOverflow), request \(request)")
                    let expected = maxOverflow < 0 || request < size + maxOverflow
                    #expect(granted == expected, "size \(size), max_overflow \(maxOverflow), request \(request)")
                }
            }
        }

        @Test func timeoutInTheMiddleOfTheLineIsSkippedOnRelease() throws {
            var pool = TokenPool<String>(size: 1, maxOverflow: 0)
            #expect(pool.acquire("a", at: 0) == .granted(overflow: false))
            var tickets: [TokenPool<String>.WaitTicket] = []
            for (i, name) in ["b", "c", "d"].enumerated() {
                guard case .queued(let ticket) = pool.acquire(name, at: SimTime(i + 1)) else {
                    Issue.record("\(name) should wait"); return
                }
                tickets.append(ticket)
            }
            #expect(tickets.map { $0.rawValue } == [0, 1, 2])
            #expect(pool.timeOut(tickets[1], at: 5) == "c")
            #expect(pool.timeOut(tickets[1], at: 6) == nil)  // a second timeout is ignored
            #expect(pool.waiting == 2)
            let released7 = pool.release(at: 7)
            let first = try #require(released7)
            #expect(first.requester == "b" && first.ticket == tickets[0] && first.since == 1)
            let released8 = pool.release(at: 8)
            let second = try #require(released8)
            #expect(second.requester == "d" && second.ticket == tickets[2] && second.since == 3)
            #expect(pool.timeOut(tickets[0], at: 9) == nil)  // granted before its timeout
            #expect(pool.timeOut(tickets[2], at: 9) == nil)
            #expect(pool.release(at: 10) == nil)
            #expect(pool.checkedOut == 0 && pool.waiting == 0 && pool.checkedIn == 1)
            #expect(pool.grantedTotal == 3 && pool.timeoutsTotal == 1 && pool.maxWaiting == 3)
            // Tickets keep counting after the line emptied.
            #expect(pool.acquire("e", at: 11) == .granted(overflow: false))
            #expect(pool.acquire("f", at: 12) == .queued(ticket: .init(rawValue: 3)))
        }

        @Test func unlimitedOverflowNeverQueues() {
            var pool = TokenPool<Int>(size: 2, maxOverflow: -1)
            let results = (0..<50).map { pool.acquire($0, at: 0) }
            #expect(results.prefix(2).allSatisfy { $0 == .granted(overflow: false) })
            #expect(results.dropFirst(2).allSatisfy { $0 == .granted(overflow: true) })
            #expect(pool.overflow == 48 && pool.checkedOut == 50 && pool.waiting == 0)
            // Nobody waits, so the first 2 connections returned fill the idle pool (size 2) and
            // the other 48 find it full and are closed.
            for _ in 0..<50 { #expect(pool.release(at: 1) == nil) }
            #expect(pool.overflow == 0 && pool.checkedIn == 2)
        }

        @Test func defaultsMatchSQLAlchemySeedConfiguration() {
            let pool = TokenPool<Int>()
            #expect(pool.size == 10 && pool.maxOverflow == 20 && pool.timeout == 30 * second)
            #expect(pool.warningThreshold == 0.8)
            // pool_size 0 means unlimited overflow, as in QueuePool.
            #expect(TokenPool<Int>(size: 0, maxOverflow: 5).maxOverflow == -1)
        }

        @Test func utilizationFollowsTheSeedFormula() {
            var pool = TokenPool<Int>(size: 4, maxOverflow: 2)
            #expect(pool.utilization == 0)
            for i in 0..<3 { _ = pool.acquire(i, at: 0) }
            #expect(pool.utilization == 0.75 && !pool.isHighlyUtilized)
            _ = pool.acquire(3, at: 0)  // 4/4
            #expect(pool.utilization == 1 && pool.isHighlyUtilized && pool.highUtilizationCount == 1)
            _ = pool.acquire(4, at: 0)  // overflow: 5/5
            #expect(pool.overflow == 1 && pool.utilization == 1)
            for _ in 0..<2 { _ = pool.release(at: 0) }  // 3/5 = 0.6: pool not full, overflow kept
            #expect(pool.overflow == 1 && pool.utilization == 0.6 && !pool.isHighlyUtilized)
            _ = pool.acquire(5, at: 0)  // 4/5 = 0.8: not above the threshold
            #expect(pool.utilization == 0.8 && !pool.isHighlyUtilized)
            _ = pool.acquire(6, at: 0)  // 5/5
            #expect(pool.isHighlyUtilized && pool.highUtilizationCount == 2)
        }

        @Test func ticketRoundTripsThroughAnEventTarget() {
            var pool = TokenPool<Int>(size: 1, maxOverflow: 0)
            #expect(pool.timeOut(pool.ticket(eventTarget: 0), at: 0) == nil)  // no ticket issued yet
            _ = pool.acquire(0, at: 0)
            var tickets: [TokenPool<Int>.WaitTicket] = []
            for i in 1...5 {
                if case .queued(let ticket) = pool.acquire(i, at: 0) { tickets.append(ticket) }
            }
            #expect(tickets.count == 5)
            for ticket in tickets { #expect(pool.ticket(eventTarget: ticket.eventTarget) == ticket) }
            // Near the 32-bit wrap: the most recent ticket with those low bits.
            pool.nextTicket = (1 << 32) + 3
            #expect(pool.ticket(eventTarget: 2).rawValue == (1 << 32) + 2)
            #expect(pool.ticket(eventTarget: UInt32.max).rawValue == (1 << 32) - 1)
        }
    }

    // MARK: MultiServerQueue

    @Suite struct ResourceTestsMultiServerQueue {
        @Test func priorityServesLowerLevelsFirstAndFIFOWithinALevel() {
            var queue = MultiServerQueue<String>(servers: 1, discipline: .priority(levels: 3))
            #expect(queue.arrive("busy", level: 2, at: 0) == true)
            let arrivals: [(String, Int)] = [("c1", 2), ("b1", 1), ("a1", 0), ("c2", 2), ("a2", 0), ("b2", 1)]
            for (t, (name, level)) in arrivals.enumerated() {
                #expect(queue.arrive(name, level: level, at: SimTime(t + 1)) == false)
            }
            var served: [String] = []
            var since: [SimTime] = []
            while let next = queue.depart(at: 10) {
                served.append(next.customer)
                since.append(next.since)
            }
            #expect(served == ["a1", "a2", "b1", "b2", "c1", "c2"])
            #expect(since == [3, 5, 2, 6, 1, 4])
            #expect(queue.busy == 0 && queue.waiting == 0)
        }

        @Test func fifoKeepsArrivalOrderWhateverTheLevel() {
            var queue = MultiServerQueue<Int>(servers: 2)
            #expect(queue.arrive(-1, at: 0) && queue.arrive(-2, at: 0))
            let levels = [2, 0, 1, 0, 2]
            for (i, level) in levels.enumerated() { #expect(queue.arrive(i, level: level, at: 1) == false) }
            var served: [Int] = []
            while let next = queue.depart(at: 2) { served.append(next.customer) }
            #expect(served == [0, 1, 2, 3, 4])
            #expect(queue.busy == 1)  // the last departure left one server idle, one busy
        }

        @Test func utilizationAndMeanQueueLengthOfAHandMadeSchedule() {
            // Two servers. a@0, b@1 start at once; c@2, d@3 wait; departures at 4 (c starts),
            // 5 (d starts), 6 and 8 (servers go idle). Observed until 10 s.
            // Busy: 1 on [0,1), 2 on [1,6), 1 on [6,8), 0 on [8,10) → area 13 → mean 1.3 → 0.65.
            // Waiting: 1 on [2,3), 2 on [3,4), 1 on [4,5) → area 4 → 0.4.
            var queue = MultiServerQueue<Character>(servers: 2)
            #expect(queue.arrive("a", at: 0) == true)
            #expect(queue.arrive("b", at: 1 * second) == true)
            #expect(queue.arrive("c", at: 2 * second) == false)
            #expect(queue.arrive("d", at: 3 * second) == false)
            #expect(queue.depart(at: 4 * second)?.customer == "c")
            #expect(queue.depart(at: 5 * second)?.customer == "d")
            #expect(queue.depart(at: 6 * second) == nil)
            #expect(queue.depart(at: 8 * second) == nil)
            #expect(queue.utilization(at: 10 * second) == 0.65)
            #expect(queue.meanQueueLength(at: 10 * second) == 0.4)
            #expect(queue.busyLevel.max == 2 && queue.queueLevel.max == 2)
        }

        @Test func resetStatisticsKeepsTheLevelsAndRestartsTheAverages() {
            // The same schedule, statistics reset at 5 s (two busy, none waiting). On [5,10]:
            // busy 2 on [5,6), 1 on [6,8), 0 on [8,10) → area 4 → mean 0.8 → utilisation 0.4.
            var queue = MultiServerQueue<Character>(servers: 2)
            _ = queue.arrive("a", at: 0)
            _ = queue.arrive("b", at: 1 * second)
            _ = queue.arrive("c", at: 2 * second)
            _ = queue.arrive("d", at: 3 * second)
            _ = queue.depart(at: 4 * second)
            _ = queue.depart(at: 5 * second)
            queue.resetStatistics(at: 5 * second)
            #expect(queue.busy == 2 && queue.waiting == 0)
            _ = queue.depart(at: 6 * second)
            _ = queue.depart(at: 8 * second)
            #expect(queue.utilization(at: 10 * second) == 0.4)
            #expect(queue.meanQueueLength(at: 10 * second) == 0)
        }
    }

    // MARK: Store

    @Suite struct ResourceTestsStore {
        @Test func gettersAreServedInArrivalOrderByDirectHandOff() {
            var store = Store<String, Int>(capacity: 2)
            for getter in [7, 8, 9] {
                guard case .blocked = store.get(getter, at: SimTime(getter)) else {
                    Issue.record("getter \(getter) should wait"); return
                }
            }
            #expect(store.waitingGetters == 3)
            var handedTo: [Int] = []
            for item in ["x", "y", "z"] {
                if case .handedOff(let getter) = store.put(item, by: 0, at: 10) { handedTo.append(getter.process) }
            }
            #expect(handedTo == [7, 8, 9])
            #expect(store.count == 0 && store.waitingGetters == 0)
            #expect(store.putsTotal == 3 && store.getsTotal == 3)
            #expect(store.level.max == 0)  // nothing was ever stored
        }

        @Test func fullStoreBlocksPuttersAndResumesThemInOrder() {
            var store = Store<String, Int>(capacity: 2)
            guard case .stored = store.put("a", by: 1, at: 0), case .stored = store.put("b", by: 2, at: 0),
                  case .blocked = store.put("c", by: 3, at: 1), case .blocked = store.put("d", by: 4, at: 2)
            else { Issue.record("expected stored, stored, blocked, blocked"); return }
            #expect(store.count == 2 && store.waitingPutters == 2)
            var taken: [String] = []
            var resumed: [Int?] = []
            while case .item(let item, let putter) = store.get(0, at: 5) {
                taken.append(item)
                resumed.append(putter?.process)
            }
            #expect(taken == ["a", "b", "c", "d"])
            #expect(resumed == [3, 4, nil, nil])
            #expect(store.count == 0 && store.waitingPutters == 0 && store.waitingGetters == 1)
            #expect(store.putsTotal == 4 && store.getsTotal == 4)
        }

        @Test func levelIsTimeWeighted() {
            // 1 item on [0,2), 2 on [2,6), 1 on [6,8), 0 after → area 2 + 8 + 2 = 12 over 10 s.
            var store = Store<Int, Int>()
            _ = store.put(1, by: 0, at: 0)
            _ = store.put(2, by: 0, at: 2 * second)
            _ = store.get(0, at: 6 * second)
            _ = store.get(0, at: 8 * second)
            #expect(store.level.mean(at: 10) == 1.2)
            #expect(store.capacity == .max)
        }
    }
}
