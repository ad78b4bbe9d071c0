public import MatchEngine

/// How long after the message was the file written? One-sided: a file is written after its
/// message is sent (live downloads within seconds, back-fills hours or days later), so a file
/// that predates its message by more than the tolerance is evidence against the pair.
///
/// A message has two clocks: `messageTimestamp`, when it was sent, and `data_envio`, when its row
/// was inserted — for history imports minutes to weeks later, and the downloader fetches the
/// file right after the insert. Both are measured; a file seconds after the insert of a row sent
/// days earlier is an `after_insert_*` level. Without `messageTimestamp`, `data_envio` is all
/// there is, and it is read two-sided within a slack (the send came before it).
///
/// The file's time is its name time minus the instance's clock offset (to the second), or its
/// mtime (minus the mtime clock's error) when the name has none. How common a window is in the
/// file's own conversation is the finding's chance: in a chat where notes arrive every minute,
/// "within 2 minutes" says little. A file a scheduled download run wrote (a nightly job's, found
/// by calibration) is timed by the run: `scheduled_run`, no evidence but `before`.
public struct TimestampDistanceStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case before
        case within10s = "within_10s"
        case within30s = "within_30s"
        case within2min = "within_2min"
        case within10min = "within_10min"
        case within1h = "within_1h"
        case within1d = "within_1d"
        case within30d = "within_30d"
        case later
        case mtimeLater = "mtime_later"
        case scheduledRun = "scheduled_run"
        case afterInsert10s = "after_insert_10s"
        case afterInsert30s = "after_insert_30s"
        case afterInsert2min = "after_insert_2min"
        case afterInsert10min = "after_insert_10min"
        case afterInsert1h = "after_insert_1h"

        public var defaultBits: Double {
            switch self {
            case .before: -8
            case .within10s: 7
            case .within30s: 6
            case .within2min: 5
            case .within10min: 3
            case .within1h: 2
            case .within1d: 0
            case .within30d: -1.5
            case .later: -4
            // An mtime can be a later copy's: late says nothing.
            case .mtimeLater: 0
            // A nightly run's file: its time is the run's, however near a message it falls.
            case .scheduledRun: 0
            // History imports: the file follows the insert as live downloads follow the send.
            case .afterInsert10s: 6
            case .afterInsert30s: 5
            case .afterInsert2min: 4
            case .afterInsert10min: 2
            case .afterInsert1h: 1
            }
        }

        public var summary: String {
            switch self {
            case .before: "file written before the message was sent"
            case .within10s: "file written within 10 s of the message"
            case .within30s: "file written within 30 s of the message"
            case .within2min: "file written within 2 minutes of the message"
            case .within10min: "file written within 10 minutes of the message"
            case .within1h: "file written within an hour of the message"
            case .within1d: "file written within a day of the message"
            case .within30d: "file written within 30 days of the message"
            case .later: "file written more than 30 days after the message"
            case .mtimeLater: "file modified more than a day after the message; mtime may be a copy's"
            case .scheduledRun: "file written by a scheduled download run; the message came first, by any time"
            case .afterInsert10s: "file written within 10 s of the row's insert, long after the send"
            case .afterInsert30s: "file written within 30 s of the row's insert, long after the send"
            case .afterInsert2min: "file written within 2 minutes of the row's insert, long after the send"
            case .afterInsert10min: "file written within 10 minutes of the row's insert, long after the send"
            case .afterInsert1h: "file written within an hour of the row's insert, long after the send"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "timestamp_distance",
        name: "Timestamp distance",
        summary: "Measures how long after the message the file was written, under the instance's clock offset.",
        tier: .fuzzy,
        examples: [
            // Name 17:49:18 on a UTC−03:00 clock is 20:49:18 UTC: 6 s after the message.
            StrategyExample(
                .example(time: "2025-08-09 17:49:18"), .example(sent: "2025-08-09 20:49:12"), expect: "within_10s"),
            StrategyExample(
                .example(time: "2025-08-09 17:49:35"), .example(sent: "2025-08-09 20:49:12"), expect: "within_30s"),
            StrategyExample(
                .example(time: "2025-08-09 17:50:40"), .example(sent: "2025-08-09 20:49:12"), expect: "within_2min"),
            StrategyExample(
                .example(time: "2025-08-09 17:55:00"), .example(sent: "2025-08-09 20:49:12"), expect: "within_10min"),
            StrategyExample(
                .example(time: "2025-08-09 18:30:00"), .example(sent: "2025-08-09 20:49:12"), expect: "within_1h"),
            StrategyExample(
                .example(time: "2025-08-10 09:00:00"), .example(sent: "2025-08-09 20:49:12"), expect: "within_1d"),
            StrategyExample(
                .example(time: "2025-08-20 09:00:00"), .example(sent: "2025-08-09 20:49:12"), expect: "within_30d"),
            StrategyExample(
                .example(time: "2025-10-20 09:00:00"), .example(sent: "2025-08-09 20:49:12"), expect: "later"),
            StrategyExample(
                .example(time: "2025-08-09 17:48:00"), .example(sent: "2025-08-09 20:49:12"), expect: "before"),
            StrategyExample(
                .example(time: "2025-08-09 17:49:11"),
                .example(sent: "2025-08-09 20:49:12"),
                expect: "within_10s"
            ),
            StrategyExample(
                .example(time: "2025-08-09 17:49:11"),
                .example(sent: "2025-08-09 20:49:12"),
                configuration: "tolerance_seconds: 0",
                expect: "before"
            ),
            // Without messageTimestamp, data_envio (an insert time) is read two-sided.
            StrategyExample(
                .example(time: "2025-08-09 17:40:00"),
                .example(sent: nil, inserted: "2025-08-09 20:49:12"),
                expect: "within_10min"
            ),
            StrategyExample(
                .example(time: "2025-08-09 17:20:00"),
                .example(sent: nil, inserted: "2025-08-09 20:49:12"),
                expect: "within_1h"
            ),
            // A history import: sent days before its row was inserted; the file follows the insert.
            StrategyExample(
                .example(time: "2025-08-09 17:49:20"),
                .example(sent: "2025-08-02 10:00:00", inserted: "2025-08-09 20:49:12"),
                expect: "after_insert_10s"
            ),
            StrategyExample(
                .example(time: "2025-08-09 17:49:40"),
                .example(sent: "2025-08-02 10:00:00", inserted: "2025-08-09 20:49:12"),
                expect: "after_insert_30s"
            ),
            StrategyExample(
                .example(time: "2025-08-09 17:50:40"),
                .example(sent: "2025-08-02 10:00:00", inserted: "2025-08-09 20:49:12"),
                expect: "after_insert_2min"
            ),
            StrategyExample(
                .example(time: "2025-08-09 17:55:00"),
                .example(sent: "2025-08-02 10:00:00", inserted: "2025-08-09 20:49:12"),
                expect: "after_insert_10min"
            ),
            StrategyExample(
                .example(time: "2025-08-09 18:30:00"),
                .example(sent: "2025-08-02 10:00:00", inserted: "2025-08-09 20:49:12"),
                expect: "after_insert_1h"
            ),
            // Sent twenty minutes before the insert: the insert is still the closer clock.
            StrategyExample(
                .example(time: "2025-08-09 17:50:40"),
                .example(sent: "2025-08-09 20:30:00", inserted: "2025-08-09 20:49:12"),
                expect: "after_insert_2min"
            ),
            // A back-filled row: inserted days after the file was written.
            StrategyExample(
                .example(time: "2025-08-05 17:40:00"),
                .example(sent: nil, inserted: "2025-08-09 20:49:12"),
                expect: "within_30d"
            ),
            StrategyExample(
                .example(time: "2025-06-25 17:40:00"),
                .example(sent: nil, inserted: "2025-08-09 20:49:12"),
                expect: "before"
            ),
            StrategyExample(.example(time: "2025-08-09 17:49:18"), .example(), calibration: .uncalibrated, expect: nil),
            StrategyExample(
                .example(time: nil, modificationTime: LocalTime(text: "2025-08-09 20:49:20")!.secondsSinceEpoch),
                .example(sent: "2025-08-09 20:49:12"),
                calibration: .uncalibrated,
                expect: "within_10s"
            ),
            StrategyExample(
                .example(time: nil, modificationTime: LocalTime(text: "2025-09-09 20:49:20")!.secondsSinceEpoch),
                .example(sent: "2025-08-09 20:49:12"),
                expect: "mtime_later"
            ),
            // 6 s after the message, but the instance's nightly run wrote the file at 17:49:18:
            // the run's time, not the download's.
            StrategyExample(
                .example(time: "2025-08-09 17:49:18"),
                .example(sent: "2025-08-09 20:49:12"),
                population: .example([.example()], scheduledRunFiles: [AudioFile.example().path]),
                expect: "scheduled_run"
            ),
            StrategyExample(
                .example(time: nil, modificationTime: LocalTime(text: "2025-09-09 20:49:20")!.secondsSinceEpoch),
                .example(sent: "2025-08-09 20:49:12"),
                configuration: "use_mtime: false",
                expect: nil
            ),
        ],
        configurationExamples: [
            .decodes(
                "tolerance_seconds: 5\ninsert_time_slack_seconds: 3600\nuse_mtime: false",
                to: TimestampDistanceConfiguration.with {
                    $0.toleranceSeconds = 5
                    $0.insertTimeSlackSeconds = 3600
                    $0.useMtime = false
                }
            ),
            .rejects("tolerance_seconds: soon", naming: "tolerance_seconds", saying: "expected a whole number"),
            .rejects("tolerance_seconds: -1", naming: "tolerance_seconds", saying: "must not be negative"),
        ],
        chancePerConversation: true
    )

    public let configuration: TimestampDistanceConfiguration

    public func note(for finding: Finding<Level>) -> String {
        guard let seconds = finding.measurement else { return finding.level.summary }
        let when = seconds < 0 ? "before" : "after"
        return "\(finding.level.summary): \(Self.duration(abs(seconds))) \(when) the message's time"
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: "\(Int(seconds)) s"
        case ..<7_200: "\(Int(seconds / 60)) min"
        case ..<172_800: "\(Int(seconds / 3_600)) h"
        default: "\(Int(seconds / 86_400)) days"
        }
    }

    public init(configuration: TimestampDistanceConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        guard let (fileTime, fromMtime) = context.calibration.fileTime(of: file, useMtime: configuration.useMtime)
        else { return nil }
        let tolerance = configuration.toleranceSeconds
        let afterInsert = fileTime - message.insertTime
        if !fromMtime, context.population?.isFromScheduledRun(file) == true {
            return scheduledRunFinding(afterSend: message.sentTime.map { fileTime - $0 }, afterInsert: afterInsert)
        }
        guard let sent = message.sentTime else {
            // `data_envio` alone: the send came before it, so a file that predates it by up to
            // the slack is measured as a distance.
            if afterInsert < -tolerance {
                guard -afterInsert <= configuration.insertTimeSlackSeconds else {
                    return Finding(.before, measured: Double(afterInsert))
                }
                return finding(delay: -afterInsert, measured: afterInsert, fromMtime: fromMtime)
            }
            return finding(
                delay: max(0, afterInsert), measured: afterInsert, fromMtime: fromMtime,
                chance: chance(file, fileTime, .insert, delay: max(0, afterInsert), context))
        }
        let afterSend = fileTime - sent
        if afterSend < -tolerance {
            // Written before the message was sent: nothing the downloader does.
            return Finding(.before, measured: Double(afterSend))
        }
        let delay = max(0, afterSend)
        // A row inserted well after its send (a history import) whose file followed the insert:
        // the downloader fetched it when the row arrived.
        if !fromMtime && message.fileFollowsImport(afterInsert: afterInsert, tolerance: tolerance) {
            let level: Level =
                switch afterInsert {
                case ...10: .afterInsert10s
                case ...30: .afterInsert30s
                case ...120: .afterInsert2min
                case ...600: .afterInsert10min
                default: .afterInsert1h
                }
            return Finding(
                level, measured: Double(afterInsert),
                chance: chance(file, fileTime, .insert, delay: max(0, afterInsert), context))
        }
        return finding(
            delay: delay, measured: afterSend, fromMtime: fromMtime,
            chance: chance(file, fileTime, .sent, delay: delay, context))
    }

    /// A file a scheduled run wrote comes after its message by anything from seconds to weeks:
    /// only a file before the message tells.
    private func scheduledRunFinding(afterSend: Int64?, afterInsert: Int64) -> Finding<Level> {
        if let afterSend {
            return afterSend < -configuration.toleranceSeconds
                ? Finding(.before, measured: Double(afterSend)) : Finding(.scheduledRun, measured: Double(afterSend))
        }
        return afterInsert < -configuration.insertTimeSlackSeconds
            ? Finding(.before, measured: Double(afterInsert)) : Finding(.scheduledRun, measured: Double(afterInsert))
    }

    private func finding(delay: Int64, measured: Int64, fromMtime: Bool, chance: Double? = nil) -> Finding<Level> {
        let level: Level
        switch delay {
        case ...10: level = .within10s
        case ...30: level = .within30s
        case ...120: level = .within2min
        case ...600: level = .within10min
        case ...3600: level = .within1h
        case ...86_400: level = .within1d
        case ...(30 * 86_400): level = fromMtime ? .mtimeLater : .within30d
        default: level = fromMtime ? .mtimeLater : .later
        }
        return Finding(level, measured: Double(measured), chance: delay <= 3_600 ? chance : nil)
    }

    /// How likely a message of the file's conversation that is not its own lands, on `clock`, in
    /// the same window before the file: the others seen there (or, where more, those a wider
    /// window holds, spread over its width), plus what the conversation's pace around that time
    /// would put there by chance, and never less than a message of the
    /// conversation has in such a window on average. Notes come in bursts: a file whose own message
    /// is missing (deleted, never loaded) lands beside that message's neighbours as often as they
    /// have neighbours, which a day's pace, spread evenly, makes look like a coincidence of one in
    /// hundreds of thousands. `nil` without the conversation.
    private func chance(
        _ file: AudioFile, _ fileTime: Int64, _ clock: MessageClock, delay: Int64, _ context: ScoringContext
    ) -> Double? {
        guard let conversation = context.population?.conversation(of: file), conversation.size > 1 else {
            return nil
        }
        // The smallest window that holds the delay; its width is one the population counts bursts for.
        let widths = Population.Conversation.windowWidths
        let width = widths.first { delay <= $0 } ?? widths[widths.count - 1]
        let tolerance = configuration.toleranceSeconds
        let inWindow = conversation.count(clock, in: (fileTime - width)...(fileTime + tolerance))
        let day: Int64 = 43_200
        let nearby = conversation.count(clock, in: (fileTime - day)...(fileTime + day))
        let pace = Double(nearby + 1) / Double(2 * day)
        // The others a wider window holds, spread evenly over it: a message just outside this
        // window says the conversation was crowded there as much as one inside. Counted inside
        // only, a note 3 s from a message whose neighbour is 23 s away was a 1 in 4,017
        // coincidence, while the neighbour's own window, which holds the first, was 1 in 21: when
        // the file was the neighbour's (a download 23 s late, the other message never downloaded),
        // that gap alone made a wrong link at 0.9997.
        var spread = 0.0
        for wider in widths where wider > width {
            let around = conversation.count(clock, in: (fileTime - wider)...(fileTime + tolerance))
            spread = max(spread, Double(max(0, around - 1)) * Double(width + tolerance) / Double(wider + tolerance))
        }
        let expected = max(
            max(Double(max(0, inWindow - 1)), spread) + pace * Double(width + tolerance),
            conversation.neighbours(within: width))
        return min(1, expected / Double(conversation.size))
    }
}
