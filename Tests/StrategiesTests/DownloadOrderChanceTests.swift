import MatchEngine
import Strategies
import Testing

/// `download_order` and `timestamp_distance` both say "this message is near the file". Where time
/// has already placed the message, order is evidence only in so far as it tells apart the
/// messages time placed there with it; counted against the whole conversation, it gave an orphan
/// (its row deleted) three to nine bits more toward whichever neighbour time chose (independent
/// store 57: reviews stated at 0.90–0.997 that were orphans; store 69: one linked at 0.9997).
struct DownloadOrderChanceTests {
    /// The example file, named 17:49:20 on the server's UTC−03:00 clock: 20:49:20 UTC.
    let file = AudioFile.example(time: "2025-08-09 17:49:20")
    /// Its folder's neighbours were inserted 20:40 and 21:00.
    let span = "2025-08-09 20:40:00"..."2025-08-09 21:00:00"

    /// Forty messages of the conversation, an hour apart, all inserted outside the span.
    var background: [AudioMessage] {
        (0..<40).map { hour in
            let day = 10 + hour / 24
            let time = "2025-08-\(day) \(hour % 24 < 10 ? "0" : "")\(hour % 24):15:00"
            return AudioMessage.example(rowID: Int64(100 + hour), id: "BACKGROUND\(hour)", sent: time)
        }
    }

    /// The chance the strategy states for the file against `message`, in a conversation of
    /// `messages` (which holds `message`), with or without the clock offset known.
    func chance(
        of message: AudioMessage, among messages: [AudioMessage], calibration: InstanceCalibration = .example,
        file: AudioFile? = nil
    ) throws -> Double? {
        let file = file ?? self.file
        let window =
            LocalTime(text: span.lowerBound)!
            .secondsSinceEpoch...LocalTime(text: span.upperBound)!
            .secondsSinceEpoch
        let population = Population.example(messages, downloadWindows: [file.path: window])
        let strategy = try configuredStrategy("download_order", yaml: "")
        let finding = strategy.compare(
            file, message, in: ScoringContext(calibration: calibration, population: population))
        #expect(finding.map { strategy.levels[$0.level].identifier } == "in_order")
        return finding?.chance
    }

    @Test("A message time alone placed next to the file gains nothing from being in order")
    func timeAlreadyPlacedIt() throws {
        // Sent 8 s before the file, inserted a second later; another note 30 s before, in the span too.
        let near = AudioMessage.example(rowID: 1, sent: "2025-08-09 20:49:12", inserted: "2025-08-09 20:49:13")
        let earlier = AudioMessage.example(rowID: 2, id: "EARLIER", sent: "2025-08-09 20:48:50")
        let messages = [near, earlier] + background
        // Within 10 s only `near`; within 30 s both, both in the span: order tells them apart from nothing.
        #expect(try chance(of: near, among: messages) == 1)
        #expect(try chance(of: earlier, among: messages) == 1)
    }

    @Test("Order still tells apart the messages time cannot: one of two in the window was inserted in the span")
    func orderBreaksTies() throws {
        let near = AudioMessage.example(rowID: 1, sent: "2025-08-09 20:49:12", inserted: "2025-08-09 20:49:13")
        // Sent 5 s before the file too, but its row came in at 21:30, after the next file's.
        let late = AudioMessage.example(
            rowID: 3, id: "LATE", sent: "2025-08-09 20:49:15", inserted: "2025-08-09 21:30:00")
        #expect(try chance(of: near, among: [near, late] + background) == 0.5)
    }

    @Test("A rival sent hours before the file is one of the day's notes in the span, not the conversation's")
    func rivalWithinTheDay() throws {
        let near = AudioMessage.example(rowID: 1, sent: "2025-08-09 20:49:12", inserted: "2025-08-09 20:49:13")
        // Sent two hours before the file, its row inserted (late) inside the span.
        let rival = AudioMessage.example(
            rowID: 2, id: "RIVAL", sent: "2025-08-09 18:49:12", inserted: "2025-08-09 20:55:00")
        let earlier = [10, 12, 14].map { hour in
            AudioMessage.example(
                rowID: Int64(10 + hour), id: "EARLIER\(hour)", sent: "2025-08-09 \(hour):15:00",
                inserted: "2025-08-09 \(hour):15:01")
        }
        // Sent within the day before the file: near, rival and the three earlier; two in the span.
        // Counted against the conversation (45 messages) it would be 2 in 45.
        #expect(try chance(of: rival, among: [near, rival] + earlier + background) == 0.4)
    }

    @Test("Where time says nothing (no clock offset), order is counted against the whole conversation")
    func withoutTimeTheConversation() throws {
        let near = AudioMessage.example(rowID: 1, sent: "2025-08-09 20:49:12", inserted: "2025-08-09 20:49:13")
        let earlier = AudioMessage.example(rowID: 2, id: "EARLIER", sent: "2025-08-09 20:48:50")
        let messages = [near, earlier] + background
        let unknownZone = InstanceCalibration(hashDerivations: [.idPrefix], clockOffset: nil)
        // Two of the 42 rows were inserted in the span.
        #expect(try chance(of: near, among: messages, calibration: unknownZone) == 2.0 / 42)
    }

    @Test("A file timed by its mtime alone (no name) is placed by time too: its neighbour gains nothing")
    func mtimeTimedOrphan() throws {
        // Store 69's case: "audio (3).m4a", written 18 s after a note whose own row is not this
        // file's (that row was deleted); the span of the files downloaded around it is wide.
        let written = LocalTime(text: "2025-08-09 20:49:30")!.secondsSinceEpoch
        let orphan = AudioFile.example(token: nil, time: nil, modificationTime: written)
        let neighbour = AudioMessage.example(rowID: 1, sent: "2025-08-09 20:49:12", inserted: "2025-08-09 20:49:13")
        #expect(try chance(of: neighbour, among: [neighbour] + background, file: orphan) == 1)
        // Without the mtime nothing times it: counted against the conversation, 1 in 41.
        let untimed = AudioFile.example(token: nil, time: nil, modificationTime: nil)
        #expect(try chance(of: neighbour, among: [neighbour] + background, file: untimed) == 1.0 / 41)
    }
}
