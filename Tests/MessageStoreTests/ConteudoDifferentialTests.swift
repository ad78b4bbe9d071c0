import Foundation
import Testing

@testable import MessageStore

/// The `conteudo` reader and editor against Foundation's JSON parser (``ConteudoFuzzer``).
///
/// `make test` runs a short seeded run. A long run (docs/reliability.md has the figures of one):
///
/// ```sh
/// AUDIOSYNC_FUZZ_EXECUTIONS=100000000 AUDIOSYNC_FUZZ_SECONDS=3600 AUDIOSYNC_FUZZ_SEED=$RANDOM \
///   swift test --skip-build --filter ConteudoDifferentialTests
/// ```
///
/// `AUDIOSYNC_FUZZ_SECONDS` only stops a long run early; the result never depends on it.
@Suite struct ConteudoDifferentialTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test func theReaderAndTheEditorAgreeWithFoundation() {
        let seed = Self.environment["AUDIOSYNC_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_250_809
        let executions = Self.environment["AUDIOSYNC_FUZZ_EXECUTIONS"].flatMap(Int.init) ?? 5_000
        let deadline = Self.environment["AUDIOSYNC_FUZZ_SECONDS"].flatMap(Double.init).map {
            ContinuousClock.now + .seconds($0)
        }
        var fuzzer = ConteudoFuzzer(seed: seed)
        var reported = ContinuousClock.now
        fuzzer.run(executions: executions) { s in
            let now = ContinuousClock.now
            if deadline != nil, now - reported > .seconds(60) {
                reported = now
                FileHandle.standardError.write(
                    Data("fuzz: \(s.executions) executions, \(s.parsed) parsed, \(s.findingCounts) findings\n".utf8))
            }
            return deadline.map { now >= $0 } ?? false
        }
        let statistics = fuzzer.statistics
        FileHandle.standardError.write(
            Data(
                ("fuzz: seed \(seed): \(statistics.executions) executions, \(statistics.parsed) parsed by Foundation, "
                    + "\(statistics.edited) edited, findings \(statistics.findingCounts)\n").utf8))
        // A run that parses little checks little: the generator must keep making valid documents.
        #expect(statistics.parsed * 4 >= statistics.executions, "only \(statistics.parsed) documents parsed")
        #expect(statistics.edited * 4 >= statistics.parsed, "only \(statistics.edited) documents had an audioMessage")
        for finding in statistics.findings {
            Issue.record("\(finding)")
        }
    }

    /// Documents the fuzzer once found to disagree, kept so they never come back.
    @Test(arguments: ConteudoDifferentialTests.regressions)
    func aFormerFindingAgrees(document: String) {
        var fuzzer = ConteudoFuzzer(seed: 1)
        fuzzer.check(Array(document.utf8))
        #expect(fuzzer.statistics.parsed == 1, "Foundation parses it")
        for finding in fuzzer.statistics.findings {
            Issue.record("\(finding)")
        }
    }

    static let regressions: [String] = [
        #"{"audioMessage": {"seconds": 7, "fileLength": "18342"}}"#,
        // A number in a string, written with escapes: the reader read nothing.
        #"{"audioMessage": {"seconds": "\u0031\u0038", "fileLength": "18342"}}"#,
    ]
}
