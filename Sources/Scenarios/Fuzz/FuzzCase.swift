// FuzzCase.swift — one run of `simrun fuzz`: its seed, the parameters and fault plan drawn from it.

import Sim

// MARK: - FuzzCase

/// One fuzz run: a seed, and what that seed draws — values for some of ``FuzzParameter/all``
/// and a fault plan of some of ``FuzzFaultKind/all`` (swarm testing: each parameter and each kind
/// is in the run with probability ½, so runs differ in which features they exercise, not only
/// in their values). The run's scenario is the file with ``settings()`` applied, run with
/// `--seed seed --replications 1`.
public struct FuzzCase: Sendable, Equatable {
    /// The run's number (0-based) in its fuzz.
    public var index: Int
    /// The run's root seed: the simulation's and the plan's.
    public var seed: UInt64
    /// `(key path, YAML value)` of each parameter drawn, in table order.
    public var parameters: [Parameter]
    /// The fault plan, kinds in table order.
    public var faults: [FaultEntry]
    /// The file's own `accept:` list, kept when the plan adds to it.
    public var baseAccepted: [String]

    /// A key path and the value drawn for it.
    public struct Parameter: Sendable, Equatable {
        public let keyPath: String
        public let value: String
    }

    public init(index: Int, seed: UInt64, parameters: [Parameter], faults: [FaultEntry], baseAccepted: [String] = []) {
        self.index = index
        self.seed = seed
        self.parameters = parameters
        self.faults = faults
        self.baseAccepted = baseAccepted
    }

    // MARK: Drawing

    /// The seed of run `index` of a fuzz with root seed `baseSeed`: a named stream seed of the
    /// root (`fuzz.run.<index>`), so runs are independent and any one is drawn without the others.
    public static func seed(ofRun index: Int, baseSeed: UInt64) -> UInt64 {
        RandomStreamFactory(rootSeed: baseSeed).seed(named: "fuzz.run.\(index)")
    }

    /// Run `index` of a fuzz with root seed `baseSeed` over `context`.
    public static func draw(index: Int, baseSeed: UInt64, context: FuzzContext) -> FuzzCase {
        draw(index: index, seed: seed(ofRun: index, baseSeed: baseSeed), context: context)
    }

    /// The run whose seed is `seed`: its plan comes from the seed's stream `fuzz.plan` alone.
    public static func draw(index: Int, seed: UInt64, context: FuzzContext) -> FuzzCase {
        var random = RandomStreamFactory(rootSeed: seed).stream(named: "fuzz.plan")
        var parameters: [Parameter] = []
        for parameter in FuzzParameter.all where random.coin() {
            if let value = parameter.draw(context, &random) {
                parameters.append(Parameter(keyPath: parameter.keyPath, value: value))
            }
        }
        // The faults see the replicas the run starts with (a drawn `database.replicas`).
        var planContext = context
        if let drawn = parameters.first(where: { $0.keyPath == "database.replicas" }), let replicas = Int(drawn.value) {
            planContext.replicas = replicas
        }
        var faults: [FaultEntry] = []
        for kind in FuzzFaultKind.all where random.coin() {
            guard kind.isAvailable(planContext) else { continue }
            let count = random.integer(in: 1...max(1, kind.maximumEntries))
            for entry in 0..<count { faults.append(kind.draw(planContext, entry, &random)) }
        }
        return FuzzCase(index: index, seed: seed, parameters: parameters, faults: faults,
                        baseAccepted: context.acceptedLosses)
    }

    // MARK: As --param settings

    /// The invariants the run accepts as a declared loss: the file's, and those the plan's kinds
    /// break by the seed's design (``FuzzFaultKind/acceptedByDesign``), each once.
    public var acceptedLosses: [String] {
        var accepted = baseAccepted
        for kind in FuzzFaultKind.all where faults.contains(where: { $0.kind == kind.name }) {
            for invariant in kind.acceptedByDesign where !accepted.contains(invariant) { accepted.append(invariant) }
        }
        return accepted
    }

    /// The `--param` settings that make the scenario this run's: the parameters, then the
    /// fault plan — kinds with a legacy spelling through their keys (`api.failures`,
    /// `jobs.worker_failures`), the others as one `faults=[…]` list.
    public func settings() throws(ParameterError) -> [ParameterSetting] {
        var pairs = parameters.map { ($0.keyPath, $0.value) }
        for kind in FuzzFaultKind.all {
            let entries = faults.filter { $0.kind == kind.name }
            guard !entries.isEmpty, let legacy = kind.legacySpelling else { continue }
            pairs += legacy(entries).map { ($0.keyPath, $0.value) }
        }
        let listed = faults.filter { FuzzFaultKind.named($0.kind)?.legacySpelling == nil }
        if !listed.isEmpty { pairs.append(("faults", "[" + listed.map(\.description).joined(separator: ", ") + "]")) }
        let accepted = acceptedLosses
        if accepted != baseAccepted { pairs.append(("accept", "[" + accepted.joined(separator: ", ") + "]")) }
        return try pairs.map { pair throws(ParameterError) in
            try ParameterSetting(keyPath: ParameterKeyPath(parsing: pair.0), value: pair.1)
        }
    }
}
