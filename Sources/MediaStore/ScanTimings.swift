/// Seconds spent in each phase of a scan.
public struct ScanTimings: Sendable, Hashable {
    /// Walking folders, reading metadata, parsing paths.
    public var walk: Double
    /// Opening the probe cache and reading its rows.
    public var cacheRead: Double
    /// Probing the files the cache did not answer, on all threads.
    public var probe: Double
    /// Writing the new probes to the cache.
    public var cacheWrite: Double
    /// Parsing names and assembling the sorted result.
    public var assemble: Double

    public init(walk: Double, cacheRead: Double, probe: Double, cacheWrite: Double, assemble: Double) {
        self.walk = walk
        self.cacheRead = cacheRead
        self.probe = probe
        self.cacheWrite = cacheWrite
        self.assemble = assemble
    }

    /// The whole scan.
    public var total: Double { walk + cacheRead + probe + cacheWrite + assemble }
}
