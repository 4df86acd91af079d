// TimeWeightedAverage.swift — time average of a piecewise-constant level.

/// The time average of a piecewise-constant level, such as a queue length or the number of
/// busy servers, in O(1) memory.
///
/// The level holds its value from one ``update(to:at:)`` to the next; each update adds
/// `level × Δt` to the accumulated area. ``mean(at:)`` divides the area up to a given time by
/// the elapsed time since the start (or the last ``reset(at:)``, used to delete a warm-up
/// period). Times are in seconds and must never decrease.
public struct TimeWeightedAverage: Sendable, Equatable {
    // MARK: Storage

    @usableFromInline var _start: Double
    @usableFromInline var _lastTime: Double
    @usableFromInline var _level: Double
    @usableFromInline var _area: Double = 0
    @usableFromInline var _min: Double
    @usableFromInline var _max: Double

    // MARK: Creating

    /// Starts observing at time `start` (seconds) with the given initial level.
    public init(start: Double, level: Double = 0) {
        _start = start
        _lastTime = start
        _level = level
        _min = level
        _max = level
    }

    // MARK: Recording

    /// Changes the level to `level` at `time` (seconds), accumulating the previous level over
    /// the elapsed interval. O(1), allocation-free.
    ///
    /// - Precondition: `time` is not earlier than the previous update (or the start).
    @inlinable @inline(__always)
    public mutating func update(to level: Double, at time: Double) {
        precondition(time >= _lastTime, "TimeWeightedAverage: time went backwards")
        _area += _level * (time - _lastTime)
        _lastTime = time
        _level = level
        if level > _max { _max = level }
        if level < _min { _min = level }
    }

    /// Discards everything accumulated so far and restarts the average at `time`, keeping the
    /// current level (warm-up deletion). ``min`` and ``max`` restart at the current level.
    ///
    /// - Precondition: `time` is not earlier than the last update.
    public mutating func reset(at time: Double) {
        precondition(time >= _lastTime, "TimeWeightedAverage: time went backwards")
        _start = time
        _lastTime = time
        _area = 0
        _min = _level
        _max = _level
    }

    // MARK: Results

    /// The current level.
    @inlinable public var level: Double { _level }

    /// The start of the observation period (the initial time, or the last reset).
    @inlinable public var start: Double { _start }

    /// The time of the last update (or of the start, if none since).
    @inlinable public var lastUpdate: Double { _lastTime }

    /// The largest level held since the start or the last reset (including the current level).
    @inlinable public var max: Double { _max }

    /// The smallest level held since the start or the last reset (including the current level).
    @inlinable public var min: Double { _min }

    /// The integral of the level from the start to `time`, the current level extended to `time`.
    ///
    /// - Precondition: `time` is not earlier than the last update.
    public func area(at time: Double) -> Double {
        precondition(time >= _lastTime, "TimeWeightedAverage: time is before the last update")
        return _area + _level * (time - _lastTime)
    }

    /// The time-average level over [start, `time`]: ``area(at:)`` divided by the elapsed time.
    /// When no time has elapsed it is the current level.
    ///
    /// - Precondition: `time` is not earlier than the last update.
    public func mean(at time: Double) -> Double {
        let elapsed = time - _start
        let area = area(at: time)
        return elapsed > 0 ? area / elapsed : _level
    }
}
