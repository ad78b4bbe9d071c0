import Foundation
import MatchEngine
import MediaStore
import Sync
import Testing

/// `scan --json` writes its files by hand; the document must be the encoder's, byte for byte.
struct ScanReportTests {
    /// Files whose every field takes its awkward values: names with quotes, backslashes, slashes,
    /// control characters, accents and emoji; durations missing, whole, tiny, huge and not finite;
    /// times and kinds missing.
    static func files() -> [AudioFile] {
        let names = [
            "msg_81585468_20250811_110317.ogg", "wapi_3EB0C7AB12_20250101_000000.opus", "plain \"quoted\".mp3",
            "back\\slash.ogg", "tab\there\u{1}\u{1B}\u{7F}.ogg", "Ação é ✓ 😀\u{85}\u{2028}.m4a", "new\nline.wav",
        ]
        let durations: [Double?] = [
            nil, 3, 2.7535, 1e-5, 0.1, 1e21, 123_456.125, -0.0, .infinity, .nan, .leastNonzeroMagnitude,
        ]
        var files: [AudioFile] = []
        for (index, name) in names.enumerated() {
            for (offset, duration) in durations.enumerated() {
                let client = index % 2 == 0 ? "Ana_Souza" : "Cliente \"B\"/\\"
                files.append(
                    AudioFile(
                        path: "\(client)/instance_X/chats/5511/\(name)", clientFolder: client, instanceID: "X",
                        chatFolder: offset % 3 == 0 ? "5511" : "grupo\u{0}", kind: offset % 2 == 0 ? "audio" : nil,
                        name: FileNameParser.parse(name), modificationTime: offset % 4 == 0 ? nil : Int64(offset) - 2,
                        size: Int64(index * 1_000 + offset),
                        format: AudioFormat.allCases[offset % AudioFormat.allCases.count],
                        duration: duration, durationIsEstimate: offset % 2 == 1,
                        problem: offset % 5 == 0 ? nil : FileProblem.allCases[offset % FileProblem.allCases.count]))
            }
        }
        return files
    }

    @Test("The hand-written files array is the encoder's document, byte for byte")
    func sameAsTheEncoder() throws {
        let scan = ScanResult(
            files: Self.files(), skipped: [.notAudioExtension: 2, .stillArriving: 1], probedFiles: 70, cachedFiles: 7,
            extensionMismatches: 1, timings: ScanTimings(walk: 0.5, cacheRead: 0, probe: 1, cacheWrite: 0, assemble: 0))
        let report = ScanReport(mediaRoot: "/srv/media \"x\"", scan: scan)
        let expected = try ReportJSON.encoder().encode(report)
        let written = try report.prettyJSON()
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        // And with no files, the encoder's document as it is.
        let empty = ScanReport(
            mediaRoot: "/srv",
            scan: ScanResult(
                files: [], skipped: [:], probedFiles: 0, cachedFiles: 0, extensionMismatches: 0,
                timings: ScanTimings(walk: 0, cacheRead: 0, probe: 0, cacheWrite: 0, assemble: 0)))
        #expect(try empty.prettyJSON() == ReportJSON.encoder().encode(empty))
    }
}
