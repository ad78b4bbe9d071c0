import Foundation
import Testing

@testable import MatchEngine

/// Blocking offers every message that could plausibly be a file's, and says why when there is none.
struct CandidateIndexTests {
    typealias F = EngineStageFixture

    static func index(
        _ files: [AudioFile], _ messages: [AudioMessage],
        calibration: InstanceCalibration = InstanceCalibration(hashDerivations: [.idPrefix], clockOffset: -10_800)
    ) -> CandidateIndex {
        let (partitions, _) = Partitioner.partition(files: files, messages: messages)
        return CandidateIndex(
            partition: partitions[0], files: files, messages: messages, calibration: calibration,
            blocking: BlockingSettings(), allowCrossChat: false)
    }

    static func rows(_ found: [Int32], _ index: CandidateIndex, _ messages: [AudioMessage]) -> [Int64] {
        found.map { messages[index.messages[Int($0)]].rowID }.sorted()
    }

    @Test("A file with no token meets the messages just before it on either clock")
    func namelessFileMeetsItsWindow() {
        let messages = [
            F.message(1, token: "3EB01111", at: 0),
            // A history import: sent days earlier, inserted a minute before the file.
            F.message(2, token: "3EB02222", at: -5 * 86_400, inserted: 60),
            F.message(3, token: "3EB03333", at: 40 * 86_400),
            F.message(4, chat: "556999000000", token: "3EB04444", at: 10),
        ]
        let file = F.file(token: nil, at: 120, name: "PTT-20250809-WA0012.opus")
        let index = Self.index([file], messages)
        let found = index.candidates(for: file)
        // Message 3 is weeks later; message 4 is another chat.
        #expect(Self.rows(found.messages, index, messages) == [1, 2])
        #expect(found.miss == nil)
    }

    @Test("A named file meets the message its token names and a few rivals near in time")
    func namedFileMeetsItsNameAndRivals() {
        var messages = [F.message(1, token: "9D07958D", at: 0)]
        for row in 2...20 {
            messages.append(F.message(Int64(row), token: String(format: "3EB0%04X", row), at: -Int64(row) * 60))
        }
        let file = F.file(token: "9D07958D", at: 5)
        let index = Self.index([file], messages)
        let found = index.candidates(for: file)
        let rows = Self.rows(found.messages, index, messages)
        #expect(rows.contains(1))
        // The nearest few on each clock, not the whole chat.
        #expect(rows.count <= 1 + 2 * CandidateIndex.namedWindowLimit)
        #expect(rows.count > 1)
    }

    @Test("What a size proposes from other chats is kept exactly when the chat relation says: same conversation")
    func sizeCandidatesFollowTheChatRelation() {
        var group = F.message(4, token: "3EB04444", at: -300, length: 18_000)
        group.chatID = "120363025246125888@g.us"
        group.sender = "556999267344@s.whatsapp.net"
        var groupOther = F.message(7, token: "3EB07777", at: -300, length: 18_000)
        groupOther.chatID = "120363025246125888@g.us"
        groupOther.sender = "556933334444@s.whatsapp.net"
        // Days before the file: only the declared size (the file's) proposes them.
        let messages = [
            F.message(1, token: "3EB01111", at: -3 * 86_400, length: 18_000),
            F.message(2, chat: "5569999267344", token: "3EB02222", at: -3 * 86_400, length: 18_000),
            F.message(3, chat: "556911112222", token: "3EB03333", at: -3 * 86_400, length: 18_000),
            group, groupOther,
            F.message(5, chat: "556977776666", token: "3EB05555", at: -3 * 86_400, length: 18_000, fromMe: true),
            F.message(6, chat: "556977776666", token: "3EB06666", at: -3 * 86_400, length: 18_000),
        ]
        let file = F.file(token: nil, at: 0, size: 18_000, name: "audio (7).ogg")
        for own in [nil, "556999267344"] {
            let calibration = InstanceCalibration(
                hashDerivations: [.idPrefix], clockOffset: -10_800, ownNumberFolder: own)
            let index = Self.index([file], messages, calibration: calibration)
            let found = Set(Self.rows(index.candidates(for: file).messages, index, messages))
            for message in messages {
                let related = ChatRelation(file: file, message: message, ownNumberFolder: own).isSameConversation
                #expect(found.contains(message.rowID) == related, "row \(message.rowID), own number \(own ?? "none")")
            }
            // The same chat, its ninth-digit form, a group note under its sender's folder; the
            // phone's own note only when the folder is the instance's own number.
            #expect(found == (own == nil ? [1, 2, 4] : [1, 2, 4, 5]))
        }
    }

    @Test("A group note whose row names no sender is met in a person's folder by its name token, and only so")
    func unnamedSenderIsMetByNameOnly() {
        func groupNote(_ row: Int64, token: String, sender: String?) -> AudioMessage {
            var message = F.message(row, token: token, at: -3 * 86_400, length: 18_000)
            message.chatID = "120363025246125888@g.us"
            message.sender = sender
            return message
        }
        let messages = [
            // `remetente` holds the group's name, as some CRMs write it: no number says whose folder.
            groupNote(1, token: "9D07958D", sender: "Equipe Vendas"),
            // The same size and the same group, but the name does not name it.
            groupNote(2, token: "3EB02222", sender: "Equipe Vendas"),
            // The same token, but a sender the row names, and not this folder's.
            groupNote(3, token: "9D07958D", sender: "556933334444@s.whatsapp.net"),
            groupNote(4, token: "9D07958D", sender: nil),
        ]
        let person = F.file(chat: "556911112222", token: "9D07958D", at: 0, size: 18_000)
        let otherGroup = F.file(chat: "120363099999999999", token: "9D07958D", at: 0, size: 18_000)
        let index = Self.index([person, otherGroup], messages)
        #expect(Self.rows(index.candidates(for: person).messages, index, messages) == [1, 4])
        #expect(index.candidates(for: otherGroup).miss == .folderNotAChat)
        #expect(ChatRelation(file: person, message: messages[0]) == .unnamedSender)
        #expect(ChatRelation(file: person, message: messages[1]) == .unnamedSender)
        #expect(!ChatRelation.unnamedSender.isSameConversation)
        #expect(ChatRelation(file: person, message: messages[2]) == .different)
        #expect(ChatRelation(file: otherGroup, message: messages[0]) == .different)
    }

    @Test("No candidate: why is told")
    func missesSayWhy() {
        let messages = [F.message(1, token: "3EB01111", at: 0)]
        let elsewhere = F.file(chat: "556911112222", token: nil, at: 10, name: "audio (4).ogg")
        let timeless = AudioFile.example(
            token: nil, time: nil, chat: "556999267344", client: F.client, instance: F.instance, name: "audio (5).ogg")
        let late = F.file(token: nil, at: -100 * 86_400, name: "audio (6).ogg")
        let index = Self.index([elsewhere, timeless, late], messages)
        #expect(index.candidates(for: elsewhere).miss == .folderNotAChat)
        #expect(index.candidates(for: timeless).miss == .noTime)
        #expect(index.candidates(for: late).miss == .nothingInWindow)
    }

    @Test("Term frequencies: how many messages share a token or declare a size")
    func population() {
        let messages = [
            F.message(1, token: "3EB0ABCD", at: 0, length: 18_000),
            F.message(2, token: "3EB0ABCD", at: 60, length: 18_000),
            F.message(3, token: "3EB0FFFF", at: 120, length: 22_000),
        ]
        let file = F.file(token: "3EB0ABCD", at: 5)
        let population = Self.index([file], messages).population
        #expect(population.messageCount == 3)
        #expect(population.messagesSharing(token: HashDerivation.pack("3EB0ABCD")) == 2)
        #expect(population.messagesDeclaring(length: 18_000) == 2)
        #expect(population.messagesDeclaring(lengthsIn: 17_000...23_000) == 3)
        let conversation = population.conversation(of: file)
        #expect(conversation?.size == 3)
        #expect(conversation?.count(.sent, in: F.noon...(F.noon + 60)) == 2)
    }
}
