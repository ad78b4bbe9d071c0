import Foundation
import Testing

@testable import MatchEngine

/// A nightly job that fetches what the live downloader missed names its files at its own start,
/// day after day; live downloads share a second of the day on a few days by chance only.
struct ScheduledRunsTests {
    typealias F = EngineStageFixture
    static let day: Int64 = 86_400

    /// `count` live files on 60 days, at seeded times between 12:00 and 21:00 UTC (09:00 to 18:00
    /// on the fixture's UTC−03:00 name clock).
    static func liveFiles(_ count: Int, seed: UInt64 = 7) -> [AudioFile] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let offset =
                Int64.random(in: 0..<60, using: &generator) * day + Int64.random(in: 0..<32_400, using: &generator)
            return F.file(token: String(format: "3A%06X", index), at: offset)
        }
    }

    static func detect(_ files: [AudioFile]) -> (paths: Set<String>, starts: [Int64: Int]) {
        let partition = Partition(
            clientID: 1, clientKey: ClientKey(F.client), instanceID: F.instance, files: Array(files.indices))
        return ScheduledRuns.detect(partition, files: files)
    }

    @Test("A run at 21:00:00 on eight nights: its files, the first and those seconds after it, and no live file")
    func nightlyRun() {
        let live = Self.liveFiles(600)
        var run: [AudioFile] = []
        // 21:00:00 on the name clock is 00:00:00 UTC, 12 h after the fixture's noon.
        for night in 0..<8 {
            let start = Int64(night * 7) * Self.day + 12 * 3_600
            for (index, delay) in [0, 4, 9].prefix(1 + night % 3).enumerated() {
                run.append(F.file(token: String(format: "3B%02X%04X", night, index), at: start + Int64(delay)))
            }
        }
        let found = Self.detect(live + run)
        #expect(found.starts == [21 * 3_600: 8])
        #expect(ScheduledRuns.clockText(21 * 3_600) == "21:00:00")
        #expect(found.paths == Set(run.map(\.path)))
    }

    @Test("The same second on three days among a busy instance's live files is chance, not a run")
    func chanceRecurrence() {
        var files = Self.liveFiles(3_000)
        // 15:00:00 on the name clock, on three days.
        for day in [3, 17, 41] {
            files.append(F.file(token: String(format: "3C%06X", day), at: Int64(day) * Self.day + 6 * 3_600))
        }
        #expect(Self.detect(files).starts.isEmpty)
        // In a quiet instance, the same three are a timer's.
        let quiet = Array(files.suffix(3)) + Self.liveFiles(20, seed: 11)
        #expect(Self.detect(quiet).starts == [15 * 3_600: 3])
    }

    @Test("A downloader that names files to the minute puts every file on :00: no minute is a run")
    func namesToTheMinute() {
        // 3,000 live files between 09:00 and 18:00 on the name clock, each named at :00 of its
        // minute: a minute recurs on five or six of the sixty days.
        let files = Self.liveFiles(3_000).map { file in
            var file = file
            let time = file.name.time!.secondsSinceEpoch
            file.name.time = LocalTime(secondsSinceEpoch: time - (time % 60 + 60) % 60)
            return file
        }
        #expect(Self.detect(files).starts.isEmpty)
    }

    @Test("Poisson tails, summed from the tail, stay exact where one minus the head would round to zero")
    func poissonTail() {
        #expect(abs(ScheduledRuns.poissonTail(atLeast: 1, mean: 0.5) - (1 - exp(-0.5))) < 1e-15)
        let tail = ScheduledRuns.poissonTail(atLeast: 8, mean: 0.01)
        // e^−0.01 · 0.01^8 / 8!, and the terms after it: about 0.01 / 9 more.
        #expect(abs(tail / (exp(-0.01) * 1e-16 / 40_320) - 1 - 0.01 / 9) < 1e-5)
        #expect(ScheduledRuns.poissonTail(atLeast: 0, mean: 3) == 1)
        #expect(ScheduledRuns.poissonTail(atLeast: 2, mean: 0) == 0)
    }
}
