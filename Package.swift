// swift-tools-version: 6.1
import PackageDescription

/// Release builds of the simulation's hot modules skip the dynamic exclusivity checks
/// (`swift_beginAccess`/`endAccess` on every access to a class's stored property: 5–8 % of a
/// task-system run's CPU in `perf`, docs/performance.md). Debug builds — the test suite — keep them on,
/// so an overlapping access on these paths still traps there. A root package may use unsafe
/// flags; a package depending on simrun could not, which nothing does.
///
/// Nonisolated async functions run on their caller's executor (SE-0461's `nonisolated(nonsending)`)
/// instead of hopping to the generic executor on entry. Every hop is a `swift_task_switch`, and
/// for a task with an executor preference (each process prefers its ``SimulationExecutor``) the
/// runtime reads that preference under the task's status-record lock, a mutex: a quarter of a
/// task-system run's CPU before, about half of it now (the hops after real suspensions remain).
/// Simulated processes never leave their executor either way, so job order and results are the same.
let hotPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "simrun",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sim", targets: ["Sim"]),
        .library(name: "TaskSystem", targets: ["TaskSystem"]),
        .executable(name: "simrun", targets: ["simrun"]),
        // libFuzzer target for the scenario loader; scripts/fuzz.sh builds it (docs/fuzzing.md).
        .executable(name: "ScenarioFuzzer", targets: ["ScenarioFuzzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // GSL, found through pkg-config; a small C shim exposes what Swift 6 cannot touch directly.
        .systemLibrary(
            name: "CGSLSystem",
            path: "Sources/CGSLSystem",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // SQLite for results.sqlite: the system library (libsqlite3-dev), found through pkg-config.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "CGSL",
            dependencies: ["CGSLSystem"],
            path: "Sources/CGSL"
        ),
        .target(
            name: "Sim",
            dependencies: [
                "CGSL",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "BasicContainers", package: "swift-collections"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "Scenarios",
            dependencies: [
                "Sim",
                "TaskSystem",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "TaskSystem",
            dependencies: [
                "Sim",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "Reports",
            dependencies: ["Sim", "Scenarios", "TaskSystem", "CSQLite", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "SimBenchmarks",
            dependencies: [
                "Sim", "Scenarios", "Reports",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "simrun",
            dependencies: [
                "Sim",
                "Scenarios",
                "Reports",
                "SimBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer's driver API (header only; the runtime comes with `-sanitize=fuzzer`).
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .executableTarget(
            name: "ScenarioFuzzer",
            dependencies: ["Scenarios", "CLibFuzzer"]
        ),
        .testTarget(name: "SimTests", dependencies: ["Sim", "CGSL"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "Sim"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Scenarios", "Sim", "TaskSystem"]),
        .testTarget(name: "TaskSystemTests", dependencies: ["TaskSystem", "Sim"]),
        .testTarget(name: "SimBenchmarksTests", dependencies: ["SimBenchmarks"]),
    ]
)
