import MatchEngine
import Strategies
import Testing

/// Tenancy from identities, not spellings: a file is compared only with messages of the client and
/// instance its folders name, and chats are told apart even when their ids hold no digits.
@Suite struct TenancyTests {
    static let matcher = Matcher(profile: .builtInDefault)

    /// A message of client `clientID` named `client`, with the example's id and time.
    static func message(
        _ rowID: Int64, clientID: Int64, client: String, instance: String?,
        chat: String = "556999267344@s.whatsapp.net",
        id: String = "9D07958D2C41A7E05B3F"
    ) -> AudioMessage {
        var message = AudioMessage.example(
            rowID: rowID, id: id, chat: chat, client: client, instance: instance, fileLength: 18_342,
            sha256: .example(7))
        message.clientID = clientID
        message.chatRowID = rowID
        return message
    }

    /// The example file (its token, size and bytes are the message's) under `client`/`instance`/`chat`.
    static func file(client: String, instance: String, chat: String = "556999267344") -> AudioFile {
        .example(chat: chat, client: client, instance: instance, sha256: .example(7))
    }

    // Finding 1: "João_Silva" and "Joao_Silva" are two clients; client 2's folder reached client 1's
    // message through a chat without an instance.
    @Test(arguments: ["Jo\u{E3}o Silva", "Joa\u{303}o Silva"])
    func aLookAlikeFolderNeverReachesAnotherClientsChats(clientOneName: String) {
        let messages = [
            Self.message(1, clientID: 1, client: clientOneName, instance: nil),
            Self.message(2, clientID: 2, client: "Joao Silva", instance: "INST-B", id: "0C9F1A2200000000AAAA"),
        ]
        let plan = Self.matcher.plan(files: [Self.file(client: "Joao_Silva", instance: "INST-B")], messages: messages)
        #expect(!plan.links.contains { $0.messageRowID == 1 }, "a file of client 2 was linked to client 1's message")
        #expect(plan.reviews.allSatisfy { $0.messageRowID != 1 })
    }

    @Test(
        "A folder spelt as the client's name (NFC or NFD, accents kept or stripped) reaches its chats",
        arguments: [
            ("Jo\u{E3}o Silva", "Jo\u{E3}o_Silva"), ("Jo\u{E3}o Silva", "Joa\u{303}o_Silva"),
            ("Joa\u{303}o Silva", "Jo\u{E3}o_Silva"), ("Jo\u{E3}o Silva", "Joao_Silva"),
            ("Jo\u{E3}o Silva", "JOAO_SILVA"),
        ])
    func aFolderOfItsOwnClientLinks(name: String, folder: String) {
        let plan = Self.matcher.plan(
            files: [Self.file(client: folder, instance: "INST-A")],
            messages: [Self.message(1, clientID: 1, client: name, instance: nil)])
        #expect(plan.links.map(\.messageRowID) == [1])
    }

    @Test("An exact name wins over a folded one: the folder of the unaccented client is that client's")
    func exactNameWinsOverFolded() {
        let messages = [
            Self.message(1, clientID: 1, client: "Jo\u{E3}o Silva", instance: "INST-A"),
            Self.message(2, clientID: 2, client: "Joao Silva", instance: "INST-A", id: "0C9F1A2200000000AAAA"),
        ]
        let plan = Self.matcher.plan(
            files: [Self.file(client: "Joa\u{303}o_Silva", instance: "INST-A")], messages: messages)
        #expect(plan.links.map(\.messageRowID) == [1])
    }

    @Test("A folded name that fits two clients, with nothing to tell them apart, is refused and counted")
    func anAmbiguousFolderIsRefused() {
        let messages = [
            Self.message(1, clientID: 1, client: "Jo\u{E3}o Silva", instance: nil),
            Self.message(2, clientID: 2, client: "JO\u{C3}O SILVA", instance: nil, id: "0C9F1A2200000000AAAA"),
        ]
        let plan = Self.matcher.plan(files: [Self.file(client: "joao_silva", instance: "INST-X")], messages: messages)
        #expect(plan.links.isEmpty)
        #expect(plan.reviews.isEmpty)
        #expect(plan.unmatched.map(\.reason.rawValue) == ["ambiguous_client"])
    }

    @Test("Two clients of one name are told apart by the instance folder's id")
    func theInstanceIdTellsClientsApart() {
        let messages = [
            Self.message(1, clientID: 1, client: "Ana", instance: nil),
            Self.message(2, clientID: 1, client: "Ana", instance: "INST-A", id: "0C9F1A2200000000AAAA"),
            Self.message(3, clientID: 2, client: "Ana", instance: "INST-B", id: "77A0C3F400000000BBBB"),
        ]
        let plan = Self.matcher.plan(files: [Self.file(client: "Ana", instance: "INST-B")], messages: messages)
        #expect(
            !plan.links.contains { $0.messageRowID == 1 }, "client 1's chat without instance reached client 2's folder")
        let unknown = Self.matcher.plan(files: [Self.file(client: "Ana", instance: "INST-Z")], messages: messages)
        #expect(unknown.links.isEmpty, "an instance no client owns does not pick one of two clients of one name")
        #expect(unknown.unmatched.map(\.reason.rawValue) == ["ambiguous_client"])
    }

    @Test("An instance folder of another client than the client folder names is refused and counted")
    func anInstanceOfAnotherClientIsRefused() {
        let messages = [
            Self.message(1, clientID: 1, client: "Ana", instance: "INST-A"),
            Self.message(2, clientID: 2, client: "Bia", instance: nil, id: "0C9F1A2200000000AAAA"),
        ]
        let plan = Self.matcher.plan(files: [Self.file(client: "Bia", instance: "INST-A")], messages: messages)
        #expect(plan.links.isEmpty)
        #expect(plan.unmatched.map(\.reason.rawValue) == ["instance_of_other_client"])
    }

    // Finding 2: `familia@g.us` and `trabalho@g.us` both reduced to "".
    @Test("Chats without digits are compared as whole JIDs, never as the empty string")
    func chatsWithoutDigitsStayApart() {
        let familia = Self.message(1, clientID: 1, client: "Ana", instance: "INST-A", chat: "familia@g.us")
        let trabalho = Self.message(
            2, clientID: 1, client: "Ana", instance: "INST-A", chat: "trabalho@g.us", id: "0C9F1A2200000000AAAA")
        // The note of familia's message, in trabalho's folder: no message of trabalho's to take it.
        let stray = Self.plan([Self.file(client: "Ana", instance: "INST-A", chat: "trabalho@g.us")], [familia])
        #expect(stray.links.isEmpty, "a file of trabalho@g.us was linked to a message of familia@g.us")
        let both = Self.plan(
            [Self.file(client: "Ana", instance: "INST-A", chat: "trabalho@g.us")], [familia, trabalho])
        #expect(both.links.map(\.messageRowID) == [2])
        let own = Self.plan([Self.file(client: "Ana", instance: "INST-A", chat: "familia@g.us")], [familia, trabalho])
        #expect(own.links.map(\.messageRowID) == [1])
        #expect(
            ChatRelation(file: Self.file(client: "Ana", instance: "I", chat: "audio"), message: familia) == .different)
        #expect(
            ChatRelation(file: Self.file(client: "Ana", instance: "I", chat: "FAMILIA@g.us"), message: familia) == .same
        )
    }

    static func plan(_ files: [AudioFile], _ messages: [AudioMessage]) -> MatchPlan {
        matcher.plan(files: files, messages: messages)
    }
}
