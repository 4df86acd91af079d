// DisplayUnit.swift — what a figure measures, for showing it with its unit.

// MARK: - Display units

/// The unit a figure is shown in. Values are always in base units: seconds, fractions (0…1),
/// events per second, counts, dollars.
public enum DisplayUnit: Sendable, Hashable {
    /// Seconds, shown as `850 µs`, `314 ms`, `1.2 s`, `3.5 min`, `2 h`.
    case duration
    /// A fraction, shown as a percentage: `93.5 %`.
    case fraction
    /// Events per second, shown with a label: `5,523 req/s` (label `req/s`), `12.3/s` (label `/s`).
    case rate(String)
    /// A count (or a mean count across replications): `5,548,521`, `64.8`.
    case count
    /// US dollars: `$2.69`.
    case dollars
    /// A plain number, 4 significant digits: `0.1234`, `12,345`.
    case number
}
