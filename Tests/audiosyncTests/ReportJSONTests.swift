import Foundation
import MatchEngine
import MediaStore
import Sync
import Testing

@testable import Evaluation

/// The reports' JSON comes from the values as they are: rounded figures and `null`s are stored, not
/// made up by an encoder.
struct ReportJSONTests {
    static func line(_ value: some Encodable) throws -> String {
        String(decoding: try ReportJSON.encoder(.line).encode(value), as: UTF8.self)
    }

    @Test("A waterfall reports its figures to 3 decimals and a vetoed pair with \"score\": null")
    func waterfall() throws {
        let vetoed = Waterfall(prior: -3.14159, lines: [], total: 2.71828, score: -.infinity, vetoedBy: "chat_id")
        #expect(
            try Self.line(vetoed) == #"{"lines":[],"prior":-3.142,"score":null,"total":2.718,"vetoed_by":"chat_id"}"#)
        let linked = Waterfall(prior: -3, lines: [], total: 2.04996, score: 2.04996, vetoedBy: nil)
        #expect(try Self.line(linked) == #"{"lines":[],"prior":-3,"score":2.05,"total":2.05}"#)
        // The text rounds the exact figures itself: 2.04996 is +2, not the JSON's 2.05 rounded again.
        #expect(linked.lines(indent: "").last?.hasSuffix(" +2") == true)
    }

    @Test("Evaluation metrics report their rates to 6 decimals, and a saved report reads back equal")
    func metrics() throws {
        var metrics = EvaluationReport.Metrics()
        metrics.files = 3
        metrics.belonging = 3
        metrics.links = 3
        metrics.correct = 1
        metrics.wrong = 2
        #expect(try Self.line(metrics).contains(#""precision":0.333333"#))
        #expect(abs(metrics.precision - 1.0 / 3) < 1e-12, "the rate itself stays exact")
        let report = EvaluationReport(
            matcher: "audiosync", overall: metrics, undamaged: metrics, perDefect: ["rounded_seconds": metrics],
            perTier: ["fuzzy": metrics], wrongLinks: [], wrongAcrossChats: 0, wrongAcrossClients: 0, reviews: 0,
            messagesWithSeveralRecordings: 0)
        let document = EvaluationRunner.Document(
            mediaRoot: "m", database: "d", profile: "p", audiosync: report, legacyScript: report,
            legacyScriptRun: .init(
                filesExamined: 19, filesMapped: 16, rowsWritten: 7, mostFilesOnOneMessage: 4, mappedWrong: 6,
                messagesGivenSeveralRecordings: 4),
            legacyEndpoint: report, seconds: 1)
        let read = try ReportJSON.decoder().decode(
            EvaluationRunner.Document.self, from: try ReportJSON.encoder().encode(document))
        #expect(read.audiosync == report)
        #expect(read.audiosync.perDefect.keys.sorted() == ["rounded_seconds"], "dictionary keys are not camel-cased")
    }

    @Test("A scan's file line names every field, null where nothing is known")
    func scanLine() throws {
        var file = AudioFile.example(token: nil, time: nil, duration: nil, modificationTime: nil, problem: nil)
        file.kind = nil
        file.name.tokenKind = nil
        let line = try Self.line(ScanResult.FileLine(file))
        for key in ["kind", "token", "token_kind", "name_time", "duration", "mtime", "problem"] {
            #expect(line.contains("\"\(key)\":null"), "\(key) in \(line)")
        }
        #expect(line.hasPrefix(#"{"chat":"556999267344","client":"Elizeu_Batiliere_Dos_Santos","#))
    }
}
