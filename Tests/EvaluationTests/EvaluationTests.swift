import Evaluation
import Foundation
import MatchEngine
import Strategies
import Sync
import Testing

struct TruthFileTests {
    @Test("Round trip through CSV, quoting paths with commas and quotes")
    func roundTrip() throws {
        let truth = TruthFile(entries: [
            .init(file: "a/b/msg_1_20250101_000000.ogg", messageRowID: 3, defects: ["backfill", "redownload"]),
            .init(file: "a/b/Gravação, \"nova\".opus", messageRowID: nil, defects: ["orphans"]),
        ])
        let parsed = try TruthFile(csv: truth.csv)
        #expect(Set(parsed.entries.map(\.file)) == Set(truth.entries.map(\.file)))
        #expect(parsed.messageByFile["a/b/msg_1_20250101_000000.ogg"] == 3)
        #expect(parsed.messageByFile["a/b/Gravação, \"nova\".opus"] == .some(nil))
    }

    @Test(
        "A malformed line is an error naming the line",
        arguments: [
            ("path,id\n", "the header must start with file,message_id"),
            ("file,message_id\na.ogg,seven\n", "truth.csv:2: message_id `seven` is not a row id"),
            ("file,message_id\n,3\n", "truth.csv:2: expected file,message_id"),
        ])
    func errors(csv: String, message: String) {
        #expect { try TruthFile(csv: csv) } throws: { "\($0)".contains(message) }
    }
}

struct EvaluatorTests {
    static let files = [
        AudioFile.example(token: "AAAAAAAA", name: "a.ogg"),
        AudioFile.example(token: "BBBBBBBB", name: "b.ogg"),
        AudioFile.example(token: "CCCCCCCC", name: "c.ogg"),
        AudioFile.example(token: "DDDDDDDD", name: "d.ogg"),
    ]
    static let messages = [
        AudioMessage.example(rowID: 1), .example(rowID: 2), .example(rowID: 3, chat: "556999872433"),
    ]

    @Test("Counts right and wrong links, misses, cross-chat errors and several recordings per message")
    func metrics() {
        let paths = Self.files.map(\.path)
        let truth = TruthFile(entries: [
            .init(file: paths[0], messageRowID: 1),
            .init(file: paths[1], messageRowID: 2, defects: ["damaged"]),
            .init(file: paths[2], messageRowID: nil, defects: ["orphans"]),
            .init(file: paths[3], messageRowID: 2),
        ])
        let links: [Evaluator.ScoredLink] = [
            .init(file: paths[0], messageRowID: 1, tier: "content_hash"),
            .init(file: paths[2], messageRowID: 3, tier: "fuzzy"),
            .init(file: paths[3], messageRowID: 1, tier: "fuzzy"),
        ]
        let report = Evaluator.evaluate(
            matcher: "t", links: links, reviews: 2, files: Self.files, messages: Self.messages, truth: truth)
        #expect(report.overall.links == 3)
        #expect(report.overall.correct == 1)
        #expect(report.overall.wrong == 2)
        #expect(report.overall.belonging == 3)
        #expect(report.overall.missed == 2)
        #expect(abs(report.overall.precision - 1.0 / 3) < 1e-9)
        #expect(abs(report.overall.recall - 1.0 / 3) < 1e-9)
        #expect(report.undamaged.belonging == 2)
        #expect(report.wrongAcrossChats == 1, "c.ogg sits in 556999267344, message 3 in 556999872433")
        #expect(report.messagesWithSeveralRecordings == 1, "message 1 got a.ogg and d.ogg")
        #expect(report.perTier["fuzzy"]?.wrong == 2)
        #expect(report.perDefect["orphans"]?.wrong == 1)
        #expect(report.reviews == 2)
    }

    @Test("A regression against a saved report is found; an improvement is not one")
    func comparison() {
        var before = EvaluationReport.Metrics()
        before.files = 100
        before.belonging = 100
        before.links = 90
        before.correct = 90
        var after = before
        after.links = 92
        after.correct = 91
        after.wrong = 1
        func report(_ metrics: EvaluationReport.Metrics) -> EvaluationReport {
            EvaluationReport(
                matcher: "audiosync", overall: metrics, undamaged: metrics, perDefect: [:], perTier: [:],
                wrongLinks: [],
                wrongAcrossChats: 0, wrongAcrossClients: 0, reviews: 0, messagesWithSeveralRecordings: 0
            )
        }
        let worse = ReportComparison(before: report(before), after: report(after))
        #expect(worse.hasRegression)
        #expect(worse.regressed.map(\.measure).contains("precision"))
        #expect(worse.improved.map(\.measure).contains("recall"))
        let same = ReportComparison(before: report(before), after: report(before))
        #expect(!same.hasRegression && same.improved.isEmpty)
    }
}

struct LegacyMatcherTests {
    @Test("The sync script: files to the nearest message inserted on their day; the first file wins the row")
    func syncScript() {
        // Two files of one chat on one day (São Paulo), one message inserted that day, one another day.
        var files = [
            AudioFile.example(token: "11111111", time: "2025-08-09 10:00:00", name: "msg_11111111_20250809_100000.ogg"),
            AudioFile.example(token: "22222222", time: "2025-08-09 15:00:00", name: "msg_22222222_20250809_150000.ogg"),
            AudioFile.example(token: nil, time: nil, name: "audio (1).ogg"),
        ]
        for index in 0..<2 { files[index].modificationTime = files[index].name.time!.secondsSinceEpoch + 3 * 3600 }
        let messages = [
            AudioMessage.example(rowID: 1, id: "11111111AAAA", sent: "2025-08-09 16:00:00"),
            AudioMessage.example(rowID: 2, id: "22222222BBBB", sent: "2025-08-20 12:00:00"),
        ]
        let run = LegacyMatcher.syncScript(files: files, messages: messages)
        #expect(run.examined == 2, "a file without a token and a time is not looked at")
        #expect(run.mapped.map(\.messageRowID) == [1, 1], "both files of the day go to message 1")
        #expect(run.written.map(\.file) == [files[0].path], "the first file wins the row")
        #expect(run.mostFilesOnOneMessage == 2)
        // The endpoint, for the message left without a file: the file named by its id.
        let played = LegacyMatcher.endpoint(files: files, messages: messages, linked: [1])
        #expect(played.map(\.file) == [files[1].path])
    }

    @Test("The demo store tells the spec's story: 16 of 19 files mapped, 7 rows written, four files on one message")
    func specStory() async throws {
        let folder = NSTemporaryDirectory() + "audiosync-story-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = GeneratorOptions(outputFolder: folder)
        options.seed = 4
        let summary = try await StoreGenerator(options: options).generateSpecDemo()
        let document = try await EvaluationRunner(
            database: DatabaseLocation(database: summary.database),
            media: MediaLocation(root: summary.mediaRoot),
            profile: ProfileChoice(.builtInDefault, source: "test"), truthPath: summary.truth
        )
        .run()
        let script = document.legacyScriptRun
        #expect(script.filesExamined == 19)
        #expect(script.filesMapped == 16)
        #expect(script.rowsWritten == 7)
        #expect(script.mostFilesOnOneMessage == 4)
        #expect(document.audiosync.overall.precision == 1)
        #expect(document.audiosync.overall.recall == 1)
        #expect(document.legacyEndpoint.overall.wrong > 100, "the endpoint plays a guess for every other message")
    }
}
