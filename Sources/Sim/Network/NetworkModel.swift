// MARK: - Queueing-network model

/// The event-driven model of a ``NetworkSpec``: one replication's state and its event handler.
///
/// Customers are indices into struct-of-arrays storage (no per-customer objects): closed users
/// hold ids `0..<population`, open customers take ids from a free list and return them when they
/// leave, so memory grows with the number of customers present, never with simulated time.
struct NetworkModel: SimulationModel {
    // MARK: Event kinds

    enum Kind {
        static let arrival: UInt32 = 0       // target: open class index
        static let departure: UInt32 = 1     // target: customer id (service completion)
        static let thinkEnd: UInt32 = 2      // target: customer id
        static let warmupEnd: UInt32 = 3
    }

    // MARK: Structure

    let spec: NetworkSpec
    /// Per station: routing targets and cumulative probabilities.
    let routeTargets: [[Int32]]
    let routeCumulative: [[Double]]
    /// Per class (open first, then closed): entry station and priority level.
    let classStation: [Int32]
    let classPriority: [Int32]
    let openClassCount: Int

    // MARK: Random streams (one per component, named)

    var serviceStreams: [RandomStream]
    var routingStreams: [RandomStream]
    var arrivalStreams: [RandomStream]
    var thinkStreams: [RandomStream]

    // MARK: State

    var queues: [MultiServerQueue<Int32>]
    var customerClass: [Int32] = []
    var customerStation: [Int32] = []
    var stationArrival: [SimTime] = []
    var systemEntry: [SimTime] = []
    var freeCustomers: [Int32] = []
    /// Conservation counters: open customers that arrived and left, closed users thinking.
    var openArrived = 0
    var openLeft = 0
    var thinking = 0
    /// Customers that finished a trip through the network, warm-up included.
    var customersCompleted = 0

    // MARK: Statistics

    var statistics: NetworkStatistics
    /// Mean response per window, for MSER-5 (only when `pilotWindow` is set).
    var pilot: PilotSeries?

    init(spec: NetworkSpec, streams: RandomStreamFactory, pilotWindow: SimTime? = nil) {
        self.spec = spec
        routeTargets = spec.routes.map { $0.map { Int32($0.station) } }
        routeCumulative = spec.routes.map { routes in
            var total = 0.0
            return routes.map { total += $0.probability; return total }
        }
        classStation = spec.openClasses.map { Int32($0.station) } + spec.closedClasses.map { Int32($0.station) }
        classPriority = spec.openClasses.map { Int32($0.priority) } + spec.closedClasses.map { Int32($0.priority) }
        openClassCount = spec.openClasses.count
        serviceStreams = spec.stations.map { streams.stream(named: "service.\($0.name)") }
        routingStreams = spec.stations.map { streams.stream(named: "routing.\($0.name)") }
        arrivalStreams = spec.openClasses.map { streams.stream(named: "arrivals.\($0.name)") }
        thinkStreams = spec.closedClasses.map { streams.stream(named: "think.\($0.name)") }
        let levels = max(1, (classPriority.max() ?? 0) + 1)
        queues = spec.stations.map {
            MultiServerQueue(servers: $0.servers, discipline: $0.discipline == .fifo ? .fifo : .priority(levels: Int(levels)))
        }
        statistics = NetworkStatistics(stationCount: spec.stations.count, classCount: classStation.count, start: 0)
        pilot = pilotWindow.map { PilotSeries(width: $0) }
    }

    // MARK: Start

    /// Schedules the first arrivals, the closed users' first think times and the warm-up end.
    mutating func start<List: FutureEventList>(scheduler: inout EventScheduler<List>, warmup: SimTime) {
        for (index, openClass) in spec.openClasses.enumerated() {
            let gap = openClass.interarrival.sample(&arrivalStreams[index])
            scheduler.schedule(at: SimClock.time(seconds: gap), kind: Kind.arrival, target: UInt32(index))
        }
        for (closedIndex, closedClass) in spec.closedClasses.enumerated() {
            let classIndex = Int32(openClassCount + closedIndex)
            for _ in 0..<closedClass.population {
                let customer = newCustomer(ofClass: classIndex)
                let think = closedClass.think.sample(&thinkStreams[closedIndex])
                scheduler.schedule(at: SimClock.time(seconds: think), kind: Kind.thinkEnd, target: UInt32(customer))
                thinking += 1
            }
        }
        if warmup > 0 { scheduler.schedule(at: warmup, kind: Kind.warmupEnd, priority: EventPriority.range.lowerBound) }
    }

    // MARK: Events

    mutating func handle<List: FutureEventList>(_ event: Event, scheduler: inout EventScheduler<List>) {
        let now = scheduler.now
        switch event.kind {
        case Kind.departure:
            completeService(of: Int32(truncatingIfNeeded: event.target), at: now, scheduler: &scheduler)
        case Kind.arrival:
            let classIndex = Int(event.target)
            let gap = spec.openClasses[classIndex].interarrival.sample(&arrivalStreams[classIndex])
            scheduler.schedule(after: SimClock.time(seconds: gap), kind: Kind.arrival, target: event.target)
            let customer = newCustomer(ofClass: Int32(classIndex))
            openArrived += 1
            systemEntry[Int(customer)] = now
            enter(customer, station: classStation[classIndex], at: now, scheduler: &scheduler)
        case Kind.thinkEnd:
            let customer = Int32(truncatingIfNeeded: event.target)
            thinking -= 1
            systemEntry[Int(customer)] = now
            enter(customer, station: classStation[Int(customerClass[Int(customer)])], at: now, scheduler: &scheduler)
        case Kind.warmupEnd:
            statistics.reset(at: now)
            for index in queues.indices { queues[index].resetStatistics(at: now) }
        default:
            preconditionFailure("unknown event kind \(event.kind)")
        }
    }

    @inline(__always)
    mutating func enter<List: FutureEventList>(_ customer: Int32, station: Int32, at now: SimTime,
                                               scheduler: inout EventScheduler<List>) {
        let index = Int(customer)
        customerStation[index] = station
        stationArrival[index] = now
        let level = Int(classPriority[Int(customerClass[index])])
        if queues[Int(station)].arrive(customer, level: level, at: now) {
            startService(of: customer, at: station, waited: 0, now: now, scheduler: &scheduler)
        }
    }

    @inline(__always)
    mutating func startService<List: FutureEventList>(of customer: Int32, at station: Int32, waited: SimTime,
                                                      now: SimTime, scheduler: inout EventScheduler<List>) {
        let stationIndex = Int(station)
        statistics.stations[stationIndex].wait.record(SimClock.seconds(waited))
        let service = spec.stations[stationIndex].service.sample(&serviceStreams[stationIndex])
        scheduler.schedule(after: SimClock.time(seconds: service), kind: Kind.departure, target: UInt32(customer))
    }

    mutating func completeService<List: FutureEventList>(of customer: Int32, at now: SimTime,
                                                         scheduler: inout EventScheduler<List>) {
        let index = Int(customer)
        let station = customerStation[index]
        let stationIndex = Int(station)
        let response = now - stationArrival[index]
        statistics.stations[stationIndex].record(response: response)
        pilot?.record(response: response, at: now)
        if let next = queues[stationIndex].depart(at: now) {
            startService(of: next.customer, at: station, waited: now - next.since, now: now, scheduler: &scheduler)
        }
        // Route: to the next station, or out of the network.
        let targets = routeTargets[stationIndex]
        if !targets.isEmpty {
            let u = routingStreams[stationIndex].uniform()
            let cumulative = routeCumulative[stationIndex]
            for choice in targets.indices where u < cumulative[choice] {
                enter(customer, station: targets[choice], at: now, scheduler: &scheduler)
                return
            }
        }
        leave(customer, at: now, scheduler: &scheduler)
    }

    mutating func leave<List: FutureEventList>(_ customer: Int32, at now: SimTime, scheduler: inout EventScheduler<List>) {
        let index = Int(customer)
        let classIndex = Int(customerClass[index])
        statistics.classes[classIndex].record(response: now - systemEntry[index])
        customersCompleted += 1
        if classIndex < openClassCount {
            openLeft += 1
            freeCustomers.append(customer)
        } else {
            thinking += 1
            let closedIndex = classIndex - openClassCount
            let think = spec.closedClasses[closedIndex].think.sample(&thinkStreams[closedIndex])
            scheduler.schedule(after: SimClock.time(seconds: think), kind: Kind.thinkEnd, target: UInt32(customer))
        }
    }

    // MARK: Invariants

    /// Customers are conserved: every customer present in the network is at exactly one station,
    /// and open arrivals = departures + present, closed population = thinking + present.
    /// Returns a description of the violation, or `nil` when it holds.
    func conservationViolation() -> String? {
        let atStations = queues.reduce(0) { $0 + $1.busy + $1.waiting }
        let population = spec.closedClasses.reduce(0) { $0 + $1.population }
        let present = (openArrived - openLeft) + (population - thinking)
        if present != atStations {
            return "customers not conserved: \(openArrived) arrived, \(openLeft) left, \(thinking) of \(population) "
                + "users thinking, but \(atStations) at stations"
        }
        return nil
    }

    // MARK: Customers

    mutating func newCustomer(ofClass classIndex: Int32) -> Int32 {
        if let reused = freeCustomers.popLast() {
            customerClass[Int(reused)] = classIndex
            return reused
        }
        let customer = Int32(customerClass.count)
        customerClass.append(classIndex)
        customerStation.append(0)
        stationArrival.append(0)
        systemEntry.append(0)
        return customer
    }
}
