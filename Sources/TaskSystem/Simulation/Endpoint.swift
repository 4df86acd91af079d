import Sim

// MARK: - The API's endpoints, as the workload sees them

/// An API endpoint: what a user's request asks for.
public enum Endpoint: String, Sendable, Hashable, CaseIterable, Comparable {
    case login
    case getTask = "get_task"
    case listTasks = "list_tasks"
    case createTask = "create_task"
    case updateTask = "update_task"
    case assignTask = "assign_task"
    case comment
    case requestReport = "request_report"
    case updateProfile = "update_profile"
    case searchTasks = "search_tasks"

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Whether the request changes data.
    public var isWrite: Bool {
        switch self {
        case .createTask, .updateTask, .assignTask, .comment, .updateProfile: true
        case .login, .getTask, .listTasks, .requestReport, .searchTasks: false
        }
    }
}

/// The share of each endpoint in a session's requests (login excluded: it opens each session).
public struct EndpointMix: Sendable, Equatable {
    /// Endpoints and their weights, in a fixed order.
    public var weights: [(endpoint: Endpoint, weight: Double)]

    public init(_ weights: [(endpoint: Endpoint, weight: Double)]) {
        self.weights = weights
    }

    public static func == (lhs: EndpointMix, rhs: EndpointMix) -> Bool {
        lhs.weights.map(\.endpoint) == rhs.weights.map(\.endpoint) && lhs.weights.map(\.weight) == rhs.weights.map(\.weight)
    }

    /// A read-heavy mix typical of task trackers (an assumption; the seed gives none). Profile
    /// updates and searches are left out; a scenario adds `update_profile` or `search_tasks`.
    public static let standard = EndpointMix([
        (.getTask, 0.40), (.listTasks, 0.30), (.updateTask, 0.10), (.createTask, 0.05),
        (.assignTask, 0.05), (.comment, 0.08), (.requestReport, 0.02),
    ])

    /// Picks an endpoint with probability proportional to its weight.
    func pick(_ stream: inout RandomStream) -> Endpoint {
        let total = weights.reduce(0) { $0 + $1.weight }
        var u = stream.uniform() * total
        for entry in weights {
            if u < entry.weight { return entry.endpoint }
            u -= entry.weight
        }
        return weights[weights.count - 1].endpoint
    }
}
