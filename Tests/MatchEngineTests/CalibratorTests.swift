import Foundation
import Testing

@testable import MatchEngine

/// Calibration reads what nobody recorded from anchors: the derivation, the clock to the second,
/// and the folder of the phone's own notes; an unknown derivation costs token evidence only.
struct CalibratorTests {
    typealias F = EngineStageFixture

    /// A partition over all the given files and messages, its index and the calibrator's clocks.
    static func calibrate(_ files: [AudioFile], _ messages: [AudioMessage], derivations: [HashDerivation]? = nil)
        -> (derivations: Calibrator.DerivationEstimate, clocks: Calibrator.ClockEstimate)
    {
        let calibrator = Calibrator(settings: CalibrationSettings(hashDerivations: derivations))
        let (partitions, _) = Partitioner.partition(files: files, messages: messages)
        let partition = partitions[0]
        let found = calibrator.derivations(partition, files: files, messages: messages)
        let index = CandidateIndex(
            partition: partition, files: files, messages: messages,
            calibration: InstanceCalibration(hashDerivations: found.derivations, clockOffset: nil),
            blocking: BlockingSettings(), allowCrossChat: false)
        let anchors = calibrator.anchors(
            partition, index: index, files: files, messages: messages, tokensUsable: found.source != .undetermined)
        return (found, calibrator.clocks(anchors, files: files, messages: messages))
    }

    @Test("The clock is read to the second: a São Paulo server 73 s fast")
    func clockToTheSecond() {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<20 {
            let token = String(format: "3EB0%04X", index * 97)
            messages.append(F.message(Int64(index + 1), token: token, at: Int64(index) * 3_600))
            // Live downloads land 2 to 11 s after the message.
            files.append(F.file(token: token, at: Int64(index) * 3_600 + 2 + Int64(index % 10), skew: 73))
        }
        let (derivations, clocks) = Self.calibrate(files, messages)
        #expect(derivations.derivations == [.idPrefix])
        let offset = try? #require(clocks.nameOffset)
        // The low edge of the live cluster: zone + skew, less the shortest delay's second.
        #expect(offset.map { abs($0.offset - (-10_800 + 73)) <= 2 } == true, "\(String(describing: offset))")
        #expect(offset?.support == 20)
    }

    @Test("An unknown derivation keeps the clock: content hashes and sizes anchor it")
    func unknownDerivationKeepsTheClock() {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<12 {
            // Names carry a token no known derivation gives; half the rows declare a hash, half a size.
            let hashed = index % 2 == 0
            messages.append(
                F.message(
                    Int64(index + 1), token: "3EB0AAAA", at: Int64(index) * 7_200,
                    length: hashed ? nil : 20_000 + Int64(index) * 131, sha: hashed ? UInt8(index + 1) : nil))
            files.append(
                F.file(
                    token: String(format: "%08X", 0xF00D_0000 + index), at: Int64(index) * 7_200 + 4,
                    zone: -4 * 3_600, size: 20_000 + Int64(index) * 131, sha: hashed ? UInt8(index + 1) : nil))
        }
        let (derivations, clocks) = Self.calibrate(files, messages)
        #expect(derivations.source == .undetermined)
        #expect(clocks.anchors[.contentHash] == 6)
        #expect(clocks.anchors[.size] == 6)
        #expect(clocks.anchors[.token] == nil)
        #expect(clocks.nameOffset.map { abs($0.offset + 4 * 3_600) <= 5 } == true)
    }

    @Test("The own-number folder is found: its files are the phone's notes to other chats")
    func ownNumberFolder() {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        let own = "5569999000111"
        for index in 0..<6 {
            let chat = "55699992673\(40 + index)"
            let token = String(format: "3A%06X", 0x100 + index)
            messages.append(F.message(Int64(index + 1), chat: chat, token: token, at: Int64(index) * 900, fromMe: true))
            files.append(F.file(chat: own, token: token, at: Int64(index) * 900 + 3))
        }
        // Notes filed where they should be, by which the derivation is found.
        for index in 0..<5 {
            let token = String(format: "3A0000%02X", 0xF0 + index)
            messages.append(
                F.message(Int64(90 + index), chat: "556999267399", token: token, at: 50_000 + Int64(index) * 600))
            files.append(F.file(chat: "556999267399", token: token, at: 50_004 + Int64(index) * 600))
        }
        let (_, clocks) = Self.calibrate(files, messages)
        #expect(clocks.ownNumberFolder == own)
        #expect(clocks.ownNumberSupport == 6)
    }

    @Test("Too few anchors, or two zones alike: no offset rather than a guess")
    func undecided() {
        let calibrator = Calibrator(settings: CalibrationSettings())
        #expect(calibrator.offset(from: [[-10_795], [-10_790]]) == nil)
        // Half the anchors at −03:00, half at −04:00.
        let split = (0..<10).map { [$0 % 2 == 0 ? Int64(-10_795) : Int64(-14_395)] }
        #expect(calibrator.offset(from: split) == nil)
        // A history import's row: the insert clock is the one near the live window.
        let imported = (0..<5).map { _ in [Int64(-10_797), Int64(-10_800 + 86_400 * 3)] }
        #expect(calibrator.offset(from: imported).map(\.offset) == -10_798)
    }
}
