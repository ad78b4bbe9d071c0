import MatchEngine
import Strategies
import Testing

/// A name clock that keeps daylight saving time: each side of the change is read at its own
/// offset, and a name between the last anchor before the change and the first after it is not
/// read at all (either offset may hold there).
struct TimestampClockChangeTests {
    /// −05:00 until the last anchor at 2024-03-10 01:50 (name clock); −04:00 from 03:10 on.
    let calibration = InstanceCalibration(
        hashDerivations: [.idPrefix], clockOffset: -5 * 3600,
        clockChanges: [
            ClockChange(
                after: LocalTime(text: "2024-03-10 01:50:00")!.secondsSinceEpoch,
                from: LocalTime(text: "2024-03-10 03:10:00")!.secondsSinceEpoch, offset: -4 * 3600)
        ])

    func level(fileNamed name: String, sent: String) throws -> String? {
        let message = AudioMessage.example(sent: sent)
        let strategy = try configuredStrategy("timestamp_distance", yaml: "")
        let context = ScoringContext(calibration: calibration, population: Population.example([message]))
        return strategy.compare(AudioFile.example(time: name), message, in: context)
            .map { strategy.levels[$0.level].identifier }
    }

    @Test("Before the change a name is read at −05:00, after it at −04:00")
    func eachSideItsOwnOffset() throws {
        // 2024-03-01 14:00:05 at −05:00 is 19:00:05 UTC; 2024-03-20 14:00:05 at −04:00 is 18:00:05 UTC.
        #expect(try level(fileNamed: "2024-03-01 14:00:05", sent: "2024-03-01 19:00:00") == "within_10s")
        #expect(try level(fileNamed: "2024-03-20 14:00:05", sent: "2024-03-20 18:00:00") == "within_10s")
        // Read at the old offset, the later file would be an hour after its message.
        #expect(try level(fileNamed: "2024-03-20 14:00:05", sent: "2024-03-20 19:00:00") == "before")
    }

    @Test("A name between the anchors either side of the change says nothing")
    func betweenTheAnchors() throws {
        #expect(try level(fileNamed: "2024-03-10 02:30:00", sent: "2024-03-10 07:29:55") == nil)
    }
}
