import MatchEngine
import MediaStore
import Testing

@Suite struct FileNameParserTests {
    @Test func hash8NamesGiveAnUpperCasedTokenAndTheNameTime() {
        let name = FileNameParser.parse("msg_81585468_20250811_110317.ogg")
        #expect(name.token == "81585468")
        #expect(name.tokenKind == .hash8)
        #expect(name.time?.iso8601 == "2025-08-11T11:03:17")
        #expect(FileNameParser.parse("msg_3eb0c7ab_20250811_110317.opus").token == "3EB0C7AB")
    }

    @Test func fullIDNamesKeepTheWholeID() {
        let name = FileNameParser.parse("wapi_3EB0C767D0D1E2F3A4B5_20250811_110317.mp3")
        #expect(name.token == "3EB0C767D0D1E2F3A4B5")
        #expect(name.tokenKind == .fullID)
        #expect(name.time?.iso8601 == "2025-08-11T11:03:17")
    }

    @Test(arguments: [
        "Audio 2024-05-01 at 10.11.12.ogg", "PTT-20250811-WA0001.opus", "msg_1234567_20250811_110317.ogg",
        "msg_123456789_20250811_110317.ogg", "msg_81585468_20250811_1103171.ogg", "msg_8158546!_20250811_110317.ogg",
        "wapi__20250811_110317.mp3", "", ".ogg", "msg_", "wapi_X_1_2",
    ])
    func otherNamesHaveNoTokenAndNoTime(_ fileName: String) {
        let name = FileNameParser.parse(fileName)
        #expect(name.token == nil && name.time == nil, "\(fileName)")
    }

    @Test func anImpossibleDateKeepsTheTokenButNoTime() {
        let name = FileNameParser.parse("msg_81585468_20251311_110317.ogg")
        #expect(name.token == "81585468")
        #expect(name.time == nil)
    }

    @Test func oddBytesAndLongNamesDoNotCrash() {
        #expect(FileNameParser.parse("msg_\u{FFFD}\u{FFFD}_20250811_110317.ogg").token == nil)
        #expect(FileNameParser.parse(String(repeating: "msg_", count: 10_000)).token == nil)
        #expect(FileNameParser.parse("msg_ÁÉÍÓÚÇÃÕ_20250811_110317.ogg").token == nil)
    }
}

@Suite struct StorePathTests {
    @Test func newerLayoutHasAKindFolder() throws {
        let path = try #require(
            StorePath(
                relativePath:
                    "Elizeu_Batiliere_Dos_Santos/instance_3B6XIW-ZTS923-GEAY6V/chats/556999267344/audio/msg_81585468_20250811_110317.ogg"
            ))
        #expect(path.clientFolder == "Elizeu_Batiliere_Dos_Santos")
        #expect(path.instanceID == "3B6XIW-ZTS923-GEAY6V")
        #expect(path.chatFolder == "556999267344")
        #expect(path.kind == "audio")
        #expect(path.fileName == "msg_81585468_20250811_110317.ogg")
    }

    @Test func olderLayoutHasNone() throws {
        let path = try #require(StorePath(relativePath: "Ana/instance_X1/chats/120363025246125486/a.ogg"))
        #expect(path.kind == nil)
        #expect(path.chatFolder == "120363025246125486")
    }

    @Test(arguments: [
        "a.ogg", "Ana/a.ogg", "Ana/instance_X1/a.ogg", "Ana/instance_X1/chats/a.ogg", "Ana/inst_X1/chats/5/a.ogg",
        "Ana/instance_/chats/5/a.ogg", "Ana/instance_X1/chat/5/a.ogg", "Ana/instance_X1/chats/5/audio/x/a.ogg",
        "Ana//chats/5/a.ogg",
    ])
    func otherLayoutsAreRefused(_ relative: String) {
        #expect(StorePath(relativePath: relative) == nil)
    }
}
