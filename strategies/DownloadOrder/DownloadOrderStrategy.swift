public import MatchEngine

/// Was the message's row inserted where the file's place in its folder says? A downloader fetches
/// a folder's files in the order their rows were inserted, so a file's row comes after the row of
/// the anchored file downloaded before it and before that of the one after it. This breaks ties
/// the name cannot: WhatsApp Web ids sharing their first 8 characters, files with no token.
///
/// Where `timestamp_distance` has already placed the message near the file, the chance of being
/// in order is read among the messages of that same time window, not the whole conversation: a
/// note sent near a file was inserted near it too, so order then adds only what tells those
/// messages apart, and a file whose own row was deleted gains nothing toward its neighbour.
public struct DownloadOrderStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case inOrder = "in_order"
        case outOfOrder = "out_of_order"

        public var defaultBits: Double {
            switch self {
            // How telling it is depends on how narrow the span is: the finding's chance says.
            case .inOrder: 1
            case .outOfOrder: -2
            }
        }

        public var summary: String {
            switch self {
            case .inOrder: "row inserted between those of the files downloaded around it"
            case .outOfOrder: "row inserted outside the span of the files downloaded around it"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "download_order",
        name: "Download order",
        summary: "Compares the message's insert time with the span its folder's neighbouring files set.",
        tier: .fuzzy,
        examples: [
            // The files downloaded before and after this one belong to rows inserted at 20:40 and
            // 21:00; this message's row came in between.
            StrategyExample(
                .example(), .example(sent: "2025-08-09 20:49:12"),
                population: .example(
                    [.example(sent: "2025-08-09 20:49:12")],
                    downloadWindows: [AudioFile.example().path: window("2025-08-09 20:40:00", "2025-08-09 21:00:00")]),
                expect: "in_order"),
            StrategyExample(
                .example(), .example(sent: "2025-08-09 21:49:12"),
                population: .example(
                    [.example(sent: "2025-08-09 21:49:12")],
                    downloadWindows: [AudioFile.example().path: window("2025-08-09 20:40:00", "2025-08-09 21:00:00")]),
                expect: "out_of_order"),
            // No anchored neighbour in the folder: no span.
            StrategyExample(.example(), .example(), population: .example([.example()]), expect: nil),
        ],
        configurationExamples: [
            .decodes("tolerance_seconds: 5", to: DownloadOrderConfiguration.with { $0.toleranceSeconds = 5 }),
            .rejects("tolerance_seconds: soon", naming: "tolerance_seconds", saying: "expected a whole number"),
            .rejects("tolerance_seconds: -1", naming: "tolerance_seconds", saying: "must not be negative"),
        ]
    )

    /// Insert times from `YYYY-MM-DD HH:MM:SS` texts, for the examples.
    static func window(_ low: String, _ high: String) -> ClosedRange<Int64> {
        LocalTime(text: low)!.secondsSinceEpoch...LocalTime(text: high)!.secondsSinceEpoch
    }

    public let configuration: DownloadOrderConfiguration

    public init(configuration: DownloadOrderConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        guard let population = context.population, let window = population.downloadWindow(of: file) else { return nil }
        let tolerance = configuration.toleranceSeconds
        let low = window.lowerBound == .min ? .min : window.lowerBound - tolerance
        let high = window.upperBound == .max ? .max : window.upperBound + tolerance
        guard message.insertTime >= low && message.insertTime <= high else { return Finding(.outOfOrder) }
        guard let conversation = population.conversation(of: file), conversation.size > 1 else {
            return Finding(.inOrder)
        }
        if let near = Self.timeWindow(file, message, context) {
            // Counted against the whole conversation, this double-counted time's evidence: an
            // orphan (its row deleted) gained 3 to 9 bits toward whichever neighbour time chose,
            // and one was linked at 0.9997 (independent store 69).
            let inWindow = conversation.count(near.clock, in: near.range)
            let inSpan = conversation.count(near.clock, in: near.range, insertedIn: low...high)
            guard inWindow > 0 else { return Finding(.inOrder) }
            return Finding(.inOrder, chance: min(1, Double(max(1, inSpan)) / Double(inWindow)))
        }
        // The other rows of the conversation inserted in the same span, plus one's worth.
        let others = conversation.count(.insert, in: low...high) - 1
        return Finding(.inOrder, chance: min(1, Double(max(0, others) + 1) / Double(conversation.size)))
    }

    /// The window time has placed the message in, by `timestamp_distance`'s reading of the file's
    /// time and its choice of clock: the send clock, or the insert clock for a row with no send
    /// time or a history import's row whose file followed its insert; the smallest of the
    /// population's window widths holding the delay, or a day (time's `within_1d`), ending just
    /// after the file (starting just before it for a row with no send time inserted after the
    /// file). The day matters for the rivals: a note sent two hours before the file, in order,
    /// is one of the day's notes in the span, not one of the conversation's, and counted against
    /// the conversation it kept every bit the file's own message (placed by time) gave up
    /// (held-out world 112). `nil` where time says nothing close: no file time, a scheduled run's
    /// file, a file before its message, or more than a day from it.
    static func timeWindow(_ file: AudioFile, _ message: AudioMessage, _ context: ScoringContext) -> (
        clock: MessageClock, range: ClosedRange<Int64>
    )? {
        guard let (fileTime, fromMtime) = context.calibration.fileTime(of: file),
            fromMtime || context.population?.isFromScheduledRun(file) != true
        else { return nil }
        let tolerance: Int64 = 2  // time's default `tolerance_seconds`
        let afterInsert = fileTime - message.insertTime
        let widths = Population.Conversation.windowWidths + [86_400]
        guard let sent = message.sentTime else {
            // `data_envio` alone: time also measures a row inserted after the file.
            guard let width = widths.first(where: { abs(afterInsert) <= $0 }) else { return nil }
            return afterInsert < -tolerance
                ? (.insert, (fileTime - tolerance)...(fileTime + width))
                : (.insert, (fileTime - width)...(fileTime + tolerance))
        }
        let imported = !fromMtime && message.fileFollowsImport(afterInsert: afterInsert, tolerance: tolerance)
        let delay = imported ? afterInsert : fileTime - sent
        guard delay >= -tolerance, let width = widths.first(where: { max(0, delay) <= $0 }) else { return nil }
        return (imported ? .insert : .sent, (fileTime - width)...(fileTime + tolerance))
    }
}
