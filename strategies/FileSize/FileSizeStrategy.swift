public import MatchEngine

/// Is the file as large as the message's `fileLength` says? Sizes of voice notes vary by the
/// byte, so equal sizes are strong evidence; a smaller file may be a cut-short download. A file of
/// another encoding than the row's mimetype names (a transcode) is not compared: its size is not
/// the one the row declares.
public struct FileSizeStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case exact
        case smaller
        case larger

        public var defaultBits: Double {
            switch self {
            case .exact: 11
            case .smaller: -3
            case .larger: -10
            }
        }

        public var summary: String {
            switch self {
            case .exact: "size equals fileLength"
            case .smaller: "smaller than fileLength"
            case .larger: "larger than fileLength"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "file_size",
        name: "File size",
        summary: "Compares the file's size in bytes with the message's fileLength.",
        tier: .fuzzy,
        examples: [
            StrategyExample(.example(size: 18_342), .example(fileLength: 18_342), expect: "exact"),
            StrategyExample(.example(size: 9_000), .example(fileLength: 18_342), expect: "smaller"),
            StrategyExample(.example(size: 18_400), .example(fileLength: 18_342), expect: "larger"),
            StrategyExample(
                .example(size: 18_400),
                .example(fileLength: 18_342),
                configuration: "relative_tolerance: 0.01",
                expect: "exact"
            ),
            // An M4A the gateway made of the Ogg note the row describes: fileLength is the Ogg's.
            StrategyExample(.example(size: 24_000, format: .mp4), .example(fileLength: 18_342), expect: nil),
            // The same, the M4A's size equal to the Ogg's by chance.
            StrategyExample(.example(size: 18_342, format: .mp4), .example(fileLength: 18_342), expect: nil),
            StrategyExample(.example(size: 18_342), .example(fileLength: nil), expect: nil),
        ],
        configurationExamples: [
            .decodes("relative_tolerance: 0.02", to: FileSizeConfiguration.with { $0.relativeTolerance = 0.02 }),
            .rejects("relative_tolerance: one percent", naming: "relative_tolerance", saying: "expected a number"),
            .rejects("relative_tolerance: 1", naming: "relative_tolerance", saying: "below 1"),
        ]
    )

    public let configuration: FileSizeConfiguration

    public func note(for finding: Finding<Level>) -> String {
        guard let difference = finding.measurement, difference != 0 else { return finding.level.summary }
        return "\(finding.level.summary) by \(Int64(abs(difference))) bytes"
    }

    public init(configuration: FileSizeConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        guard let length = message.fileLength, length > 0 else { return nil }
        // A transcode's size is another encoding's: the row's fileLength is the size of the bytes
        // the gateway received, so neither a difference nor an equality says anything: an equal
        // size is a coincidence (an orphan's M4A the size of another row's Ogg was linked to that
        // row at 0.99999 on +18.5 bits).
        if file.isOtherEncoding(than: message) { return nil }
        let difference = file.size - length
        if Double(abs(difference)) <= configuration.relativeTolerance * Double(length) {
            return Finding(.exact, measured: Double(difference), chance: chance(file.size, context))
        }
        return Finding(difference < 0 ? .smaller : .larger, measured: Double(difference))
    }

    /// How likely a message that is not the file's declares the same size: the others of the
    /// instance that do, and at least how crowded the sizes around it are, per byte.
    private func chance(_ size: Int64, _ context: ScoringContext) -> Double? {
        guard let population = context.population, population.messageCount > 0, size > 100 else { return nil }
        let others = max(0, population.messagesDeclaring(length: size) - 1)
        let span = max(1, size / 50)
        let perByte =
            Double(population.messagesDeclaring(lengthsIn: (size - span)...(size + span))) / Double(2 * span + 1)
        return min(1, max(Double(others), perByte) / Double(population.messageCount))
    }
}
