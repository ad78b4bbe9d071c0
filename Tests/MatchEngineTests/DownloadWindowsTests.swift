import Foundation
import Testing

@testable import MatchEngine

/// A folder's files come down in the order their rows went in: each file's row lies between the
/// rows of the anchored files around it.
struct DownloadWindowsTests {
    typealias F = EngineStageFixture

    @Test("The span between the anchored neighbours' rows; an anchor out of order is ignored")
    func windows() {
        // Rows inserted an hour apart, files downloaded 5 s after each; the middle file has no
        // token, so it is no anchor.
        var messages: [AudioMessage] = []
        var files: [AudioFile] = []
        for index in 0..<5 {
            let token = String(format: "3A%06X", index)
            messages.append(F.message(Int64(index + 1), token: token, at: Int64(index) * 3_600))
            files.append(
                F.file(
                    token: index == 2 ? nil : token, at: Int64(index) * 3_600 + 5,
                    name: index == 2 ? "PTT-20250809-WA0002.opus" : nil))
        }
        // A re-download of an old note, fetched between the 4th and 5th: its row is out of order.
        messages.append(F.message(6, token: "3A0000AA", at: -10 * 86_400))
        files.append(F.file(token: "3A0000AA", at: 3 * 3_600 + 1_800))
        let calibration = InstanceCalibration(hashDerivations: [.idPrefix], clockOffset: -10_800)
        let (partitions, _) = Partitioner.partition(files: files, messages: messages)
        let index = CandidateIndex(
            partition: partitions[0], files: files, messages: messages, calibration: calibration,
            blocking: BlockingSettings(), allowCrossChat: false)
        let anchors = Calibrator(settings: CalibrationSettings()).anchors(
            partitions[0], index: index, files: files, messages: messages, tokensUsable: true)
        #expect(anchors.count == 5)
        let windows = DownloadWindows.compute(
            partitions[0], anchors: anchors, index: index, files: files, messages: messages)
        let noon = F.noon
        #expect(windows[files[2].path] == (noon + 3_600)...(noon + 3 * 3_600))
        // The 4th file's next neighbour would be the old re-download; it is skipped.
        #expect(windows[files[3].path] == (noon + 2 * 3_600 - 3_600)...(noon + 4 * 3_600))
        #expect(windows[files[0].path]?.lowerBound == .min)
    }
}
