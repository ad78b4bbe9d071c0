import MatchEngine
import Strategies
import Testing

/// A file a scheduled download run wrote is timed by the run: 20 s after a message is then no
/// evidence, and only a file before its message still tells.
struct TimestampScheduledRunTests {
    /// The level the time strategy gives the example file, named `name` (wall clock, UTC−03:00),
    /// against the example message sent 2025-08-09 20:49:12 UTC, with the file a run's or not.
    func level(fileNamed name: String, fromRun: Bool) throws -> String? {
        let message = AudioMessage.example()
        let file = AudioFile.example(time: name)
        let population = Population.example([message], scheduledRunFiles: fromRun ? [file.path] : [])
        let strategy = try configuredStrategy("timestamp_distance", yaml: "")
        let context = ScoringContext(calibration: .example, population: population)
        return strategy.compare(file, message, in: context).map { strategy.levels[$0.level].identifier }
    }

    @Test("20 s after the message: within_30s from the live downloader, scheduled_run from a run")
    func runsTimeSaysLittle() throws {
        #expect(try level(fileNamed: "2025-08-09 17:49:32", fromRun: false) == "within_30s")
        #expect(try level(fileNamed: "2025-08-09 17:49:32", fromRun: true) == "scheduled_run")
        // Days later, too: a run fetches what was missed whenever it was sent.
        #expect(try level(fileNamed: "2025-08-20 21:00:00", fromRun: true) == "scheduled_run")
    }

    @Test("A run's file written before the message was sent is still against the pair")
    func beforeStillTells() throws {
        #expect(try level(fileNamed: "2025-08-09 17:40:00", fromRun: true) == "before")
    }
}
