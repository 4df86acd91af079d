import Sim

// MARK: - Storage and I/O of a database instance

/// The EBS volume behind each MySQL instance and how queries use it: allocated size, the IOPS
/// it delivers, and the I/O a query or a write costs. Every instance (primary, replicas, a
/// blue-green target) gets the same volume.
///
/// I/O per query is an expected count, not a draw: a read touches pages (a primary-key read one
/// leaf page, a list query one page per ``rowsPerPage`` rows returned, rounded up) and each page
/// misses the InnoDB buffer pool with probability `1 − bufferPoolHitRatio`, so a point read
/// costs `1 − h` I/Os. A committed write costs ``writeIOs`` (the redo-log write at commit; page
/// flushes are deferred and merged by InnoDB and not counted separately). Fractional I/Os queue
/// in the instance's ``IOPSBucket`` like whole ones, so no random stream is used.
public struct DatabaseStorage: Sendable, Equatable {
    /// The EBS volume type, which sets the default IOPS.
    public enum VolumeType: String, Sendable, CaseIterable {
        /// 3 IOPS per GiB, at least 100, at most 16,000 (burst credits are not modelled).
        case gp2
        /// RDS MySQL gp3: 3,000 IOPS below 400 GiB, 12,000 from 400 GiB (unless `iops` is set).
        case gp3
        /// Provisioned IOPS: `iops` is required.
        case io1
    }

    public var type: VolumeType
    /// Allocated storage per instance, in GiB.
    public var allocatedGiB: Double
    /// Provisioned IOPS; `nil` takes the volume type's baseline.
    public var provisionedIOPS: Double?
    /// On-disk bytes of one row, indexes included: the dataset's and every inserted row's.
    public var rowBytes: Double
    /// Fraction of page reads answered by the buffer pool.
    public var bufferPoolHitRatio: Double
    /// Rows per 16 KiB InnoDB page for list queries.
    public var rowsPerPage: Int
    /// I/Os per committed write (on the primary, and again on each replica that applies it).
    public var writeIOs: Double

    public init(type: VolumeType = .gp3, allocatedGiB: Double = 100, provisionedIOPS: Double? = nil,
                rowBytes: Double = 1024, bufferPoolHitRatio: Double = 0.99, rowsPerPage: Int = 16,
                writeIOs: Double = 1) {
        self.type = type
        self.allocatedGiB = allocatedGiB
        self.provisionedIOPS = provisionedIOPS
        self.rowBytes = rowBytes
        self.bufferPoolHitRatio = bufferPoolHitRatio
        self.rowsPerPage = rowsPerPage
        self.writeIOs = writeIOs
    }

    /// The IOPS the volume delivers.
    public var iops: Double {
        if let provisionedIOPS { return provisionedIOPS }
        switch type {
        case .gp2: return min(16_000, max(100, 3 * allocatedGiB))
        case .gp3: return allocatedGiB >= 400 ? 12_000 : 3_000
        case .io1: return 1_000  // the reader requires `iops` for io1; the API's default
        }
    }

    /// Allocated bytes.
    public var allocatedBytes: Double { allocatedGiB * 1_073_741_824 }

    /// Expected I/Os of a read that touches `pages` pages.
    func readIOs(pages: Int) -> Double { Double(pages) * (1 - bufferPoolHitRatio) }

    /// Pages a list query returning `rows` rows touches (at least one).
    func pages(rows: Int) -> Int { max(1, (rows + rowsPerPage - 1) / rowsPerPage) }
}

// MARK: - IOPS as a rate-limited resource

/// The instance's IOPS in simulated time: a token bucket filled at ``rate`` I/Os per second up to
/// ``burst`` tokens. An I/O takes its tokens at once; when the bucket is in debt, the requester
/// waits until the rate has paid the debt back — so under saturation requests are served FIFO at
/// exactly ``rate`` I/Os per second, and below it nobody waits.
public struct IOPSBucket: Sendable, Equatable {
    public let rate: Double
    public let burst: Double
    /// Tokens in the bucket (negative: the debt queued requesters wait out).
    public private(set) var tokens: Double
    var updatedAt: SimTime

    /// A full bucket at `start`; `burst` defaults to one second of the rate.
    public init(rate: Double, burst: Double? = nil, start: SimTime = 0) {
        precondition(rate > 0, "IOPS must be positive")
        self.rate = rate
        self.burst = burst ?? rate
        tokens = self.burst
        updatedAt = start
    }

    /// Takes `ios` I/Os at `now`; returns how long (seconds) the requester waits for them.
    public mutating func take(_ ios: Double, at now: SimTime) -> Double {
        if now > updatedAt {
            tokens = min(burst, tokens + rate * SimClock.seconds(now - updatedAt))
            updatedAt = now
        }
        tokens -= ios
        return tokens >= 0 ? 0 : -tokens / rate
    }
}

// MARK: - Storage used

/// Bytes used on each instance's volume: the seeded dataset plus every row inserted since, at
/// ``DatabaseStorage/rowBytes`` a row. Updates rewrite rows in place and deletes do not return
/// space to the file system (InnoDB), so neither changes the figure.
public struct StorageLedger: Sendable, Equatable {
    public private(set) var rows: Int
    public let rowBytes: Double
    public let allocatedBytes: Double

    public init(rows: Int, storage: DatabaseStorage) {
        self.rows = rows
        rowBytes = storage.rowBytes
        allocatedBytes = storage.allocatedBytes
    }

    public var usedBytes: Double { Double(rows) * rowBytes }
    public var usedFraction: Double { usedBytes / allocatedBytes }
    /// Whether the volume has room for one more row: with less, MySQL cannot write (its redo and
    /// undo need the space too), so every write fails.
    public var hasRoom: Bool { usedBytes + rowBytes <= allocatedBytes }

    mutating func inserted() { rows += 1 }
}
