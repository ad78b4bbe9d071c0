import Testing

@testable import MatchEngine

/// Which files a sync hashes: each rule of ``ContentHashDemand`` once, with the files of a chat not
/// all in one run (the demand looks a chat up once per run of files with the same keys, and a chat
/// whose files come apart must still count them together).
struct ContentHashDemandTests {
    typealias F = EngineStageFixture
    static let chatA = "556999267344"
    static let chatB = "556999267355"
    static let chatC = "556999267366"
    static let chatD = "556999267377"

    /// Files in a scan's order, except that chat A's two come either side of one of chat B's.
    static let files: [AudioFile] = [
        F.file(chat: chatA, token: "3A000001", at: 0, size: 18_000),  // 0: same size as 2, same chat
        F.file(chat: chatB, token: "3A000002", at: 10, size: 19_000),  // 1: nothing asks for it
        F.file(chat: chatA, token: "3A000003", at: 20, size: 18_000),  // 2
        F.file(chat: chatC, token: "3A000004", at: 30, size: 20_000),  // 3: its chat declares this size
        F.file(chat: chatC, token: "3A000005", at: 40, size: 21_000),  // 4: another size than declared
        F.file(chat: chatB, token: "3A000006", at: 50, size: 20_000),  // 5: the client declares its size
        F.file(chat: chatD, token: "3A000007", at: 60, size: 30_000),  // 6: its chat declares a hash, no size
        F.file(chat: chatD, token: "3A000008", at: 70, size: 31_000, sha: 9),  // 7: hashed already
    ]

    /// A message of chat C declaring a hash and a length, and one of chat D declaring a hash only.
    static let messages: [AudioMessage] = [
        F.message(1, chat: chatC, token: "3A000004", at: 30, length: 20_000, sha: 1),
        F.message(2, chat: chatD, token: "3A000007", at: 60, sha: 2),
        F.message(3, chat: chatA, token: "3A000001", at: 0),
    ]

    @Test("Siblings of one size in a chat, a size its chat or client declares, a hash with no size: each file once")
    func rules() {
        #expect(ContentHashDemand.files(Self.files, messages: Self.messages) == [0, 2, 3, 5, 6])
    }

    @Test("With cross-chat links allowed, a hash declared anywhere in the client reaches every file not hashed yet")
    func crossChat() {
        #expect(
            ContentHashDemand.files(Self.files, messages: Self.messages, allowCrossChat: true) == [0, 1, 2, 3, 4, 5, 6])
    }

    @Test("Without a declared hash, only same-size files of one chat are wanted, wherever they stand in the list")
    func siblingsApart() {
        let plain = Self.messages.filter { $0.fileSHA256 == nil }
        #expect(ContentHashDemand.files(Self.files, messages: plain) == [0, 2])
        #expect(ContentHashDemand.files(Self.files.reversed(), messages: plain) == [5, 7])
    }
}
