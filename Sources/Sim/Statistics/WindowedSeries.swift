// WindowedSeries.swift — per-time-window summaries for time plots.

/// Per-window summaries over fixed-width time windows, for time plots, in memory that grows
/// with `duration / width` only.
///
/// Window `j` covers `[origin + j·width, origin + (j+1)·width)`. Two kinds of data can be
/// recorded, independently, on the same grid:
/// - samples (``record(_:at:)``), e.g. response times at completion: per window count, sum,
///   mean, min and max;
/// - a piecewise-constant level (``level(_:at:)``), e.g. a queue length: per window the
///   time-average and the maximum of the level over the part of the window it was defined.
///
/// Windows are created lazily and appended in time order (windows without samples in between
/// are created empty, so the arrays are contiguous in time). Recording at a time earlier than
/// the current (last) window is a precondition failure; levels must also never go back in time.
public struct WindowedSeries: Sendable, Equatable {
    // MARK: Result rows

    /// The sample summary of one window.
    public struct SampleWindow: Sendable, Equatable {
        /// The start of the window, in seconds.
        public let windowStart: Double
        /// The number of samples recorded in the window.
        public let count: Int
        /// The sum of the samples (0 when none).
        public let sum: Double
        /// The smallest sample; NaN when none.
        public let min: Double
        /// The largest sample; NaN when none.
        public let max: Double
        /// The mean sample, `sum / count`; NaN when none.
        public var mean: Double { count > 0 ? sum / Double(count) : .nan }
    }

    /// The level summary of one window.
    public struct LevelWindow: Sendable, Equatable {
        /// The start of the window, in seconds.
        public let windowStart: Double
        /// The time-average level over the covered part of the window; NaN when none.
        public let mean: Double
        /// The largest level in effect during the window; NaN when none.
        public let max: Double
        /// How long, in seconds, the level was defined within the window (the full width for
        /// windows after the first level, less for the first one and for a partial last one).
        public let coveredDuration: Double
    }

    // MARK: Storage

    @usableFromInline struct Window: Sendable, Equatable {
        @usableFromInline var count: Int = 0
        @usableFromInline var sum: Double = 0
        @usableFromInline var min: Double = .infinity
        @usableFromInline var max: Double = -.infinity
        @usableFromInline var levelArea: Double = 0
        @usableFromInline var levelDuration: Double = 0
        @usableFromInline var levelMax: Double = -.infinity
        @usableFromInline init() {}
    }

    /// The window width, in seconds.
    public let width: Double
    /// The start of window 0, in seconds.
    public let origin: Double

    @usableFromInline var windows: [Window] = []
    @usableFromInline var currentLevel: Double = 0
    /// Time of the last ``level(_:at:)``; NaN before the first.
    @usableFromInline var levelTime: Double = .nan

    // MARK: Creating

    /// Creates an empty series of windows of `width` seconds, the first starting at `origin`.
    ///
    /// - Precondition: `width > 0` and both are finite.
    public init(width: Double, origin: Double = 0) {
        precondition(width > 0 && width.isFinite && origin.isFinite,
                     "WindowedSeries: width must be positive and finite")
        self.width = width
        self.origin = origin
    }

    // MARK: Grid

    /// The number of windows created so far.
    public var windowCount: Int { windows.count }

    /// The start of window `index`, `origin + index·width`, in seconds.
    @inlinable
    public func windowStart(_ index: Int) -> Double {
        origin + Double(index) * width
    }

    /// The index of the window containing `time`: `windowStart(j) ≤ time < windowStart(j+1)`.
    ///
    /// - Precondition: `time` is finite and not before `origin`.
    @inlinable
    public func windowIndex(for time: Double) -> Int {
        precondition(time.isFinite && time >= origin, "WindowedSeries: time before the origin")
        var j = Int(((time - origin) / width).rounded(.down))
        // Make the index agree exactly with `windowStart` despite rounding in the division.
        if windowStart(j + 1) <= time {
            j += 1
        } else if j > 0, windowStart(j) > time {
            j -= 1
        }
        return j
    }

    // MARK: Recording

    /// Records a sample `value` at `time` (seconds) in the window containing `time`.
    /// Allocation-free except when a new window is appended.
    ///
    /// - Precondition: `time` is not in a window earlier than the current (last) one.
    @inlinable
    public mutating func record(_ value: Double, at time: Double) {
        let j = windowIndex(for: time)
        precondition(j >= windows.count - 1, "WindowedSeries: time is before the current window")
        ensureWindows(through: j)
        windows[j].count &+= 1
        windows[j].sum += value
        if value < windows[j].min { windows[j].min = value }
        if value > windows[j].max { windows[j].max = value }
    }

    /// Sets the level to `value` from `time` (seconds) on, closing the previous level over
    /// `[previous time, time)`.
    ///
    /// - Precondition: `time` is not before the previous level change, nor in a window earlier
    ///   than the current (last) one.
    public mutating func level(_ value: Double, at time: Double) {
        let j = windowIndex(for: time)
        precondition(j >= windows.count - 1, "WindowedSeries: time is before the current window")
        if !levelTime.isNaN {
            precondition(time >= levelTime, "WindowedSeries: level time went backwards")
            accumulateLevel(until: time)
        }
        ensureWindows(through: j)
        windows[j].levelMax = Swift.max(windows[j].levelMax, value)
        currentLevel = value
        levelTime = time
    }

    @usableFromInline
    mutating func ensureWindows(through j: Int) {
        while windows.count <= j { windows.append(Window()) }
    }

    /// Adds the current level over `[levelTime, time)` to the windows it spans.
    mutating func accumulateLevel(until time: Double) {
        guard time > levelTime else { return }
        let first = windowIndex(for: levelTime)
        var last = windowIndex(for: time)
        if last > first, windowStart(last) >= time { last -= 1 }  // time on a boundary
        ensureWindows(through: last)
        for j in first...last {
            let lo = Swift.max(levelTime, windowStart(j))
            let hi = Swift.min(time, windowStart(j + 1))
            let length = hi - lo
            guard length > 0 else { continue }
            windows[j].levelArea += currentLevel * length
            windows[j].levelDuration += length
            windows[j].levelMax = Swift.max(windows[j].levelMax, currentLevel)
        }
        levelTime = time
    }

    // MARK: Results

    /// The sample summaries of all windows created so far, in time order.
    public var samples: [SampleWindow] {
        windows.indices.map { j in
            let w = windows[j]
            return SampleWindow(windowStart: windowStart(j), count: w.count, sum: w.sum,
                                min: w.count > 0 ? w.min : .nan,
                                max: w.count > 0 ? w.max : .nan)
        }
    }

    /// The level summaries, in time order, with the current level extended to `time` (seconds):
    /// all windows created so far plus those needed to reach `time` (a window starting exactly
    /// at `time` is not added). Does not modify the series.
    ///
    /// - Precondition: `time` is not before the last level change.
    public func levels(until time: Double) -> [LevelWindow] {
        var copy = self
        if !levelTime.isNaN {
            precondition(time >= levelTime, "WindowedSeries: time is before the last level change")
            copy.accumulateLevel(until: time)
        }
        return copy.windows.indices.map { j in
            let w = copy.windows[j]
            let covered = w.levelDuration > 0
            return LevelWindow(windowStart: windowStart(j),
                               mean: covered ? w.levelArea / w.levelDuration : .nan,
                               max: w.levelMax > -.infinity ? w.levelMax : .nan,
                               coveredDuration: w.levelDuration)
        }
    }
}
