// MARK: - Queueing-network model

/// The event-driven model of a ``NetworkSpec``: one replication's state and its event handler.
///
/// Customers are indices into one array of small records (no per-customer objects): closed
/// users hold ids `0..<population`, open customers take ids from a free list and return them
/// when they leave, so memory grows with the number of customers present, never with
/// simulated time. Per-station state sits in one record per station, so handling an event
/// touches few containers.
///
/// The model is noncopyable and keeps its records in ``OwnedArray``s: the handler updates a
/// station, class or customer in place, with none of `Array`'s copy-on-write uniqueness checks
/// (about twenty per customer before).
struct NetworkModel: SimulationModel, ~Copyable {
    // MARK: Event kinds

    enum Kind {
        static let arrival: UInt32 = 0       // target: open class index
        static let departure: UInt32 = 1     // target: customer id (service completion)
        static let thinkEnd: UInt32 = 2      // target: customer id
        static let warmupEnd: UInt32 = 3
    }

    /// One customer in the network.
    struct Customer {
        var classIndex: Int32
        var station: Int32
        /// When it arrived at its current station.
        var stationArrival: SimTime
        /// When it entered the network (open) or stopped thinking (closed).
        var systemEntry: SimTime
    }

    /// One station: its queue, streams, routing table and statistics.
    struct Station {
        var queue: MultiServerQueue<Int32>
        var serviceStream: RandomStream
        var routingStream: RandomStream
        /// Next stations and their cumulative probabilities; the rest leaves.
        let routeTargets: [Int32]
        let routeCumulative: [Double]
        var statistics = ResponseStatistics()
    }

    /// One customer class: its entry station, priority, streams and statistics.
    struct CustomerClass {
        let station: Int32
        let priority: Int
        var stream: RandomStream
        let isOpen: Bool
        /// Users of a closed class (0 for an open class).
        let size: Int
        var statistics = ResponseStatistics()
    }

    // MARK: State

    var stations: OwnedArray<Station>
    var classes: OwnedArray<CustomerClass>
    /// Service time per station, and interarrival (open) or think (closed) time per class: kept
    /// apart from the mutable records so sampling reads them in place while a stream mutates.
    let serviceTimes: [Distribution]
    let classDelays: [Distribution]
    let population: Int
    var customers = OwnedArray<Customer>()
    var freeCustomers = OwnedArray<Int32>()
    /// Conservation counters: open customers that arrived and left, closed users thinking.
    var openArrived = 0
    var openLeft = 0
    var thinking = 0
    /// Customers that finished a trip through the network, warm-up included.
    var customersCompleted = 0
    /// Mean response per window, for MSER-5 (only when `pilotWindow` is set).
    var pilot: PilotSeries?

    init(spec: NetworkSpec, streams: RandomStreamFactory, pilotWindow: SimTime? = nil) {
        let levels = 1 + (spec.openClasses.map(\.priority) + spec.closedClasses.map(\.priority)).reduce(0, max)
        stations = OwnedArray(spec.stations.enumerated().map { index, station in
            var total = 0.0
            return Station(
                queue: MultiServerQueue(servers: station.servers,
                                        discipline: station.discipline == .fifo ? .fifo : .priority(levels: levels)),
                serviceStream: streams.stream(named: "service.\(station.name)"),
                routingStream: streams.stream(named: "routing.\(station.name)"),
                routeTargets: spec.routes[index].map { Int32($0.station) },
                routeCumulative: spec.routes[index].map { total += $0.probability; return total })
        })
        classes = OwnedArray(spec.openClasses.map {
            CustomerClass(station: Int32($0.station), priority: $0.priority,
                          stream: streams.stream(named: "arrivals.\($0.name)"), isOpen: true, size: 0)
        } + spec.closedClasses.map {
            CustomerClass(station: Int32($0.station), priority: $0.priority,
                          stream: streams.stream(named: "think.\($0.name)"), isOpen: false, size: $0.population)
        })
        serviceTimes = spec.stations.map(\.service)
        classDelays = spec.openClasses.map(\.interarrival) + spec.closedClasses.map(\.think)
        population = spec.closedClasses.reduce(0) { $0 + $1.population }
        customers.reserveCapacity(population)
        pilot = pilotWindow.map { PilotSeries(width: $0) }
    }

    // MARK: Start

    /// Schedules the first arrivals, the closed users' first think times and the warm-up end.
    mutating func start<List: FutureEventList & ~Copyable>(scheduler: inout EventScheduler<List>, warmup: SimTime) {
        for index in classes.indices {
            if classes[index].isOpen {
                let gap = classDelays[index].sample(&classes[index].stream)
                scheduler.schedule(at: SimClock.time(seconds: gap), kind: Kind.arrival, target: UInt32(index))
            }
        }
        for index in classes.indices where !classes[index].isOpen {
            for _ in 0..<classes[index].size {
                let customer = newCustomer(ofClass: Int32(index))
                let think = classDelays[index].sample(&classes[index].stream)
                scheduler.schedule(at: SimClock.time(seconds: think), kind: Kind.thinkEnd, target: UInt32(customer))
                thinking += 1
            }
        }
        if warmup > 0 { scheduler.schedule(at: warmup, kind: Kind.warmupEnd, priority: EventPriority.range.lowerBound) }
    }

    // MARK: Events

    @inline(__always)
    mutating func handle<List: FutureEventList & ~Copyable>(_ event: Event, scheduler: inout EventScheduler<List>) {
        let now = scheduler.now
        switch event.kind {
        case Kind.departure:
            completeService(of: Int32(truncatingIfNeeded: event.target), at: now, scheduler: &scheduler)
        case Kind.arrival:
            let classIndex = Int(event.target)
            let gap = classDelays[classIndex].sample(&classes[classIndex].stream)
            scheduler.schedule(after: SimClock.time(seconds: gap), kind: Kind.arrival, target: event.target)
            let customer = newCustomer(ofClass: Int32(classIndex))
            openArrived += 1
            customers[Int(customer)].systemEntry = now
            enter(customer, station: classes[classIndex].station, at: now, scheduler: &scheduler)
        case Kind.thinkEnd:
            let customer = Int32(truncatingIfNeeded: event.target)
            thinking -= 1
            customers[Int(customer)].systemEntry = now
            let classIndex = Int(customers[Int(customer)].classIndex)
            enter(customer, station: classes[classIndex].station, at: now, scheduler: &scheduler)
        case Kind.warmupEnd:
            for index in stations.indices {
                stations[index].statistics = ResponseStatistics()
                stations[index].queue.resetStatistics(at: now)
            }
            for index in classes.indices { classes[index].statistics = ResponseStatistics() }
        default:
            preconditionFailure("unknown event kind \(event.kind)")
        }
    }

    @inline(__always)
    mutating func enter<List: FutureEventList & ~Copyable>(_ customer: Int32, station: Int32, at now: SimTime,
                                               scheduler: inout EventScheduler<List>) {
        let index = Int(customer)
        customers[index].station = station
        customers[index].stationArrival = now
        let level = classes[Int(customers[index].classIndex)].priority
        if stations[Int(station)].queue.arrive(customer, level: level, at: now) {
            startService(of: customer, at: Int(station), waited: 0, scheduler: &scheduler)
        }
    }

    @inline(__always)
    mutating func startService<List: FutureEventList & ~Copyable>(of customer: Int32, at station: Int, waited: SimTime,
                                                      scheduler: inout EventScheduler<List>) {
        stations[station].statistics.wait.record(SimClock.seconds(waited))
        let service = serviceTimes[station].sample(&stations[station].serviceStream)
        scheduler.schedule(after: SimClock.time(seconds: service), kind: Kind.departure, target: UInt32(customer))
    }

    mutating func completeService<List: FutureEventList & ~Copyable>(of customer: Int32, at now: SimTime,
                                                         scheduler: inout EventScheduler<List>) {
        let record = customers[Int(customer)]
        let station = Int(record.station)
        let response = now - record.stationArrival
        stations[station].statistics.record(response: response)
        pilot?.record(response: response, at: now)
        if let next = stations[station].queue.depart(at: now) {
            startService(of: next.customer, at: station, waited: now - next.since, scheduler: &scheduler)
        }
        // Route: to the next station, or out of the network.
        if !stations[station].routeTargets.isEmpty {
            let u = stations[station].routingStream.uniform()
            let choice = stations[station].routeCumulative.firstIndex { u < $0 }
            if let choice {
                enter(customer, station: stations[station].routeTargets[choice], at: now, scheduler: &scheduler)
                return
            }
        }
        leave(customer, entered: record.systemEntry, at: now, scheduler: &scheduler)
    }

    mutating func leave<List: FutureEventList & ~Copyable>(_ customer: Int32, entered: SimTime, at now: SimTime,
                                               scheduler: inout EventScheduler<List>) {
        let classIndex = Int(customers[Int(customer)].classIndex)
        classes[classIndex].statistics.record(response: now - entered)
        customersCompleted += 1
        if classes[classIndex].isOpen {
            openLeft += 1
            freeCustomers.append(customer)
        } else {
            thinking += 1
            let think = classDelays[classIndex].sample(&classes[classIndex].stream)
            scheduler.schedule(after: SimClock.time(seconds: think), kind: Kind.thinkEnd, target: UInt32(customer))
        }
    }

    // MARK: Invariants

    /// Customers are conserved: every customer present in the network is at exactly one station,
    /// and open arrivals = departures + present, closed population = thinking + present.
    /// Returns a description of the violation, or `nil` when it holds.
    func conservationViolation() -> String? {
        var atStations = 0
        for index in stations.indices { atStations += stations[index].queue.busy + stations[index].queue.waiting }
        let present = (openArrived - openLeft) + (population - thinking)
        if present != atStations {
            return "customers not conserved: \(openArrived) arrived, \(openLeft) left, \(thinking) of \(population) "
                + "users thinking, but \(atStations) at stations"
        }
        return nil
    }

    // MARK: Customers

    @inline(__always)
    mutating func newCustomer(ofClass classIndex: Int32) -> Int32 {
        if let reused = freeCustomers.popLast() {
            customers[Int(reused)].classIndex = classIndex
            return reused
        }
        customers.append(Customer(classIndex: classIndex, station: 0, stationArrival: 0, systemEntry: 0))
        return Int32(customers.count - 1)
    }
}
