import DequeModule
import Sim

// MARK: - The reference models, on the Sim kernel

/// Open M/M/c, FCFS, until `customers` arrivals are served: the same model, random-number
/// method (xoshiro256**, inverse-transform exponential) and event-count convention as
/// `shared/bench/des_ref.c` (an arrival, a service start and a departure count one event each).
struct OpenQueueModel: SimulationModel {
    static let arrival: UInt32 = 0
    static let departure: UInt32 = 1

    let arrivalMean: Double
    let serviceMean: Double
    let servers: Int
    let customers: Int
    var stream: RandomStream
    var busy = 0
    var waiting = Deque<SimTime>()
    var arrivals = 0
    var starts = 0
    var departures = 0
    var totalWait: SimTime = 0

    init(arrivalRate: Double, serviceRate: Double, servers: Int, customers: Int, seed: UInt64) {
        arrivalMean = 1 / arrivalRate
        serviceMean = 1 / serviceRate
        self.servers = servers
        self.customers = customers
        stream = RandomStreamFactory(rootSeed: seed).stream(named: "bench")
    }

    var events: Int { arrivals + starts + departures }

    mutating func start<List: FutureEventList & ~Copyable>(_ scheduler: inout EventScheduler<List>) {
        scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: arrivalMean)), kind: Self.arrival)
    }

    @inline(__always)
    mutating func handle<List: FutureEventList & ~Copyable>(_ event: Event, scheduler: inout EventScheduler<List>) {
        if event.kind == Self.arrival {
            arrivals += 1
            if arrivals < customers {
                scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: arrivalMean)), kind: Self.arrival)
            }
            if busy < servers {
                busy += 1
                starts += 1
                scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: serviceMean)), kind: Self.departure)
            } else {
                waiting.append(scheduler.now)
            }
        } else {
            departures += 1
            if let since = waiting.popFirst() {
                starts += 1
                totalWait += scheduler.now - since
                scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: serviceMean)), kind: Self.departure)
            } else {
                busy -= 1
            }
        }
    }
}

/// Closed model: `users` think (exponential, mean `think`), then queue at one station with
/// `servers` servers (exponential service); every thinking user holds a pending timer.
struct ClosedQueueModel: SimulationModel {
    static let thinkEnd: UInt32 = 0
    static let departure: UInt32 = 1

    let users: Int
    let thinkMean: Double
    let serviceMean: Double
    let servers: Int
    var stream: RandomStream
    var busy = 0
    var waiting = Deque<UInt32>()
    var arrivals = 0
    var starts = 0
    var departures = 0

    init(users: Int, thinkMean: Double, serviceMean: Double, servers: Int, seed: UInt64) {
        self.users = users
        self.thinkMean = thinkMean
        self.serviceMean = serviceMean
        self.servers = servers
        stream = RandomStreamFactory(rootSeed: seed).stream(named: "bench")
    }

    var events: Int { arrivals + starts + departures }

    mutating func start<List: FutureEventList & ~Copyable>(_ scheduler: inout EventScheduler<List>) {
        for user in 0..<users {
            scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: thinkMean)),
                               kind: Self.thinkEnd, target: UInt32(user))
        }
    }

    @inline(__always)
    mutating func handle<List: FutureEventList & ~Copyable>(_ event: Event, scheduler: inout EventScheduler<List>) {
        if event.kind == Self.thinkEnd {
            arrivals += 1
            if busy < servers {
                busy += 1
                starts += 1
                scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: serviceMean)),
                                   kind: Self.departure, target: event.target)
            } else {
                waiting.append(event.target)
            }
        } else {
            departures += 1
            scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: thinkMean)),
                               kind: Self.thinkEnd, target: event.target)
            if let next = waiting.popFirst() {
                starts += 1
                scheduler.schedule(after: SimClock.time(seconds: stream.exponential(mean: serviceMean)),
                                   kind: Self.departure, target: next)
            } else {
                busy -= 1
            }
        }
    }
}
