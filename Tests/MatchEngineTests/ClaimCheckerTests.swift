import Foundation
import Strategies
import Testing

@testable import MatchEngine

/// `localPath` values already in the database are claims, checked like any evidence.
struct ClaimCheckerTests {
    typealias F = EngineStageFixture

    @Test("Confirmed, contradicted, pointing at nothing, or kept unverified")
    func claims() throws {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<30 {
            let token = String(format: "3A%06X", index)
            messages.append(F.message(Int64(index + 1), token: token, at: Int64(index) * 7_200))
            files.append(F.file(token: token, at: Int64(index) * 7_200 + 3))
        }
        // Message 1 claims its own file; message 2 claims message 3's file; message 4 a file that
        // is not there; message 40 (no file of its own) claims a nameless file that nothing links.
        messages[0].localPath = files[0].path
        messages[1].localPath = "./" + files[2].path
        messages[3].localPath = files[3].path.replacingLast("3A000003", with: "3A0000FF")
        let loose = AudioFile.example(
            token: nil, time: nil, chat: "556999267344", client: F.client, instance: F.instance,
            name: "audio (9).ogg")
        files.append(loose)
        var lonely = F.message(40, token: "3EB0FFFF", at: 300 * 86_400)
        lonely.localPath = loose.path
        messages.append(lonely)
        let plan = Matcher(profile: .builtInDefault).plan(files: files, messages: messages)
        let byMessage = Dictionary(uniqueKeysWithValues: plan.claims.map { ($0.messageRowID, $0) })
        #expect(byMessage[1]?.status == .confirmed)
        #expect(byMessage[2]?.status == .contradicted)
        #expect(byMessage[2]?.proposedFile == files[1].path)
        #expect(byMessage[4]?.status == .missingFile)
        #expect(byMessage[40]?.status == .unverified)
        // The change set keeps the claims: no write over them without --repair.
        let changes = plan.changeSet(repair: false)
        #expect(!changes.changes.contains { [1, 2, 4, 40].contains($0.messageRowID) })
        #expect(changes.confirmed == 1)
    }
}

extension String {
    func replacingLast(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target, options: .backwards) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
