public import MatchEngine

/// What a scan found.
public struct ScanResult: Sendable {
    /// Every audio candidate, damaged ones included (with ``MatchEngine/AudioFile/problem`` set),
    /// sorted by path.
    public var files: [AudioFile]
    /// Files passed over, per reason.
    public var skipped: [SkipReason: Int]
    /// How many files' bytes were read this time (the rest came from the probe cache).
    public var probedFiles: Int
    /// How many files the probe cache answered.
    public var cachedFiles: Int
    /// Files whose extension names another format than their bytes (whatever their `problem`).
    public var extensionMismatches: Int
    /// Where the time went.
    public var timings: ScanTimings

    public init(
        files: [AudioFile],
        skipped: [SkipReason: Int],
        probedFiles: Int,
        cachedFiles: Int,
        extensionMismatches: Int,
        timings: ScanTimings
    ) {
        self.files = files
        self.skipped = skipped
        self.probedFiles = probedFiles
        self.cachedFiles = cachedFiles
        self.extensionMismatches = extensionMismatches
        self.timings = timings
    }

    /// Files per format.
    public var countsByFormat: [AudioFormat: Int] {
        files.reduce(into: [:]) { $0[$1.format, default: 0] += 1 }
    }

    /// Files per problem; files without one are not counted.
    public var countsByProblem: [FileProblem: Int] {
        files.reduce(into: [:]) { counts, file in
            if let problem = file.problem { counts[problem, default: 0] += 1 }
        }
    }
}
