// MARK: - Queueing-network specification

/// A queueing network, validated and resolved to indices: what a `kind: network` scenario
/// describes. Stations serve customers; after service a customer moves to another station with
/// the route's probability, or leaves (open classes) / returns to thinking (closed classes).
public struct NetworkSpec: Sendable, Equatable {
    /// One station: identical servers and a waiting line.
    public struct Station: Sendable, Equatable {
        /// Unique name, used in metrics (`<name>.response`).
        public var name: String
        /// Number of servers (≥ 1).
        public var servers: Int
        /// Queue discipline: FIFO, or by class priority (lower first).
        public var discipline: Discipline
        /// Service-time distribution, in seconds.
        public var service: Distribution

        public init(name: String, servers: Int, discipline: Discipline, service: Distribution) {
            self.name = name
            self.servers = servers
            self.discipline = discipline
            self.service = service
        }
    }

    /// Queue disciplines of a station.
    public enum Discipline: String, Sendable, Equatable, CaseIterable {
        case fifo, priority
    }

    /// A routing choice after service: go to `station` with `probability`.
    public struct Route: Sendable, Equatable {
        public var station: Int
        public var probability: Double
        public init(station: Int, probability: Double) {
            self.station = station
            self.probability = probability
        }
    }

    /// An open class: customers arrive from outside and leave after their last station.
    public struct OpenClass: Sendable, Equatable {
        public var name: String
        /// The station customers enter.
        public var station: Int
        /// Time between arrivals, in seconds.
        public var interarrival: Distribution
        /// Priority at `priority` stations: 0 is the most urgent.
        public var priority: Int

        public init(name: String, station: Int, interarrival: Distribution, priority: Int = 0) {
            self.name = name
            self.station = station
            self.interarrival = interarrival
            self.priority = priority
        }
    }

    /// A closed class: a fixed population that thinks, then enters `station`; after its last
    /// station a customer goes back to thinking.
    public struct ClosedClass: Sendable, Equatable {
        public var name: String
        /// Number of users.
        public var population: Int
        /// Think time, in seconds.
        public var think: Distribution
        /// The station users enter after thinking.
        public var station: Int
        /// Priority at `priority` stations: 0 is the most urgent.
        public var priority: Int

        public init(name: String, population: Int, think: Distribution, station: Int, priority: Int = 0) {
            self.name = name
            self.population = population
            self.think = think
            self.station = station
            self.priority = priority
        }
    }

    /// How the warm-up period is deleted from the statistics.
    public enum Warmup: Sendable, Equatable {
        /// Statistics before this time are discarded.
        case fixed(SimTime)
        /// The MSER-5 rule picks the truncation point per replication from a pilot pass.
        case mser5
    }

    public var name: String
    /// Root seed of every random stream.
    public var seed: UInt64
    /// Simulated length of each replication.
    public var duration: SimTime
    public var warmup: Warmup
    /// Independent replications (≥ 1).
    public var replications: Int
    public var stations: [Station]
    /// `routes[i]`: where customers go after service at station `i`; probabilities sum to ≤ 1.
    public var routes: [[Route]]
    public var openClasses: [OpenClass]
    public var closedClasses: [ClosedClass]

    public init(name: String, seed: UInt64, duration: SimTime, warmup: Warmup, replications: Int,
                stations: [Station], routes: [[Route]], openClasses: [OpenClass], closedClasses: [ClosedClass]) {
        self.name = name
        self.seed = seed
        self.duration = duration
        self.warmup = warmup
        self.replications = replications
        self.stations = stations
        self.routes = routes
        self.openClasses = openClasses
        self.closedClasses = closedClasses
    }

    /// All class names, open classes first, in declaration order.
    public var classNames: [String] { openClasses.map(\.name) + closedClasses.map(\.name) }
}
