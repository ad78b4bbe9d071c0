import Foundation
import MatchEngine
import Testing

@testable import MessageStore

@Suite struct ConteudoFieldsTests {
    static let sha = "n3vS0y2Q0bT4mV9X9mR1wq3v8mZq2oX3Jc4yQy7bXkQ="

    static func read(_ text: String, wantsKeyID: Bool = true) -> Result<ConteudoFields, ConteudoProblem> {
        var text = text
        var interner = StringInterner()
        return text.withUTF8 { buffer in
            Result(catching: { () throws(ConteudoProblem) in
                try ConteudoFields.read(buffer, wantsKeyID: wantsKeyID, mimetypes: &interner)
            })
        }
    }

    static func fields(_ text: String) -> ConteudoFields? {
        try? read(text).get()
    }

    @Test func readsTheSpecExample() throws {
        let text = """
            {"audioMessage": {
               "url": "https://mmg.whatsapp.net/v/t62.7117-24/x.enc",
               "mimetype": "audio/ogg; codecs=opus",
               "fileSha256": "\(Self.sha)",
               "fileLength": "18342",
               "seconds": 7,
               "ptt": true,
               "mediaKey": "abc",
               "directPath": "/v/t62.7117-24/x",
               "mediaKeyTimestamp": "1754910197"},
             "messageTimestamp": 1754910197,
             "key": {"remoteJid": "556999267344@s.whatsapp.net", "fromMe": false, "id": "3EB0ABCDEF"}}
            """
        let f = try #require(Self.fields(text))
        #expect(f.declaredSeconds == 7)
        #expect(f.fileLength == 18342)
        #expect(f.fileSHA256 == ContentDigest(base64: Self.sha))
        #expect(f.mimetype == "audio/ogg; codecs=opus")
        #expect(f.sentTime == 1_754_910_197)
        #expect(f.keyID == "3EB0ABCDEF")
        #expect(f.localPath == nil)
        #expect(f.invalidFields.isEmpty)
    }

    @Test(arguments: [
        (#""fileLength": "18342""#, Int64?.some(18342)),
        (#""fileLength": 18342"#, 18342),
        (#""fileLength": 18342.0"#, 18342),
        (#""fileLength": {"low": 18342, "high": 0, "unsigned": false}"#, 18342),
        (#""fileLength": {"low": -1, "high": 0}"#, 4_294_967_295),
        (#""fileLength": {"low": 5, "high": 1}"#, 4_294_967_301),
        (#""fileLength": 0"#, nil),
        (#""fileLength": null"#, nil),
    ])
    func readsFileLength(member: String, expected: Int64?) throws {
        let f = try #require(Self.fields(#"{"audioMessage": {\#(member)}}"#))
        #expect(f.fileLength == expected)
        #expect(f.invalidFields.isEmpty)
    }

    @Test(arguments: [
        #""fileLength": "big""#, #""fileLength": -5"#, #""fileLength": true"#, #""fileLength": [1]"#,
        #""fileLength": 7.5"#, #""fileLength": {"low": 1}"#, #""fileLength": {"low": "1", "high": 0}"#,
    ])
    func flagsBadFileLength(member: String) throws {
        let f = try #require(Self.fields(#"{"audioMessage": {\#(member)}}"#))
        #expect(f.fileLength == nil)
        #expect(f.invalidFields == .fileLength)
    }

    @Test(arguments: [
        (#""messageTimestamp": 1754910197"#, Int64?.some(1_754_910_197)),
        (#""messageTimestamp": 1754910197123"#, 1_754_910_197),
        (#""messageTimestamp": 1754910197123456"#, 1_754_910_197),
        (#""messageTimestamp": "1754910197""#, 1_754_910_197),
        (#""messageTimestamp": "1754910197123""#, 1_754_910_197),
        (#""messageTimestamp": {"low": 1754910197, "high": 0, "unsigned": true}"#, 1_754_910_197),
        (#""messageTimestamp": 1754910197.9"#, 1_754_910_197),
        (#""messageTimestamp": null"#, nil),
    ])
    func readsTimestamps(member: String, expected: Int64?) throws {
        let f = try #require(Self.fields(#"{\#(member), "audioMessage": {}}"#))
        #expect(f.sentTime == expected)
        #expect(f.invalidFields.isEmpty)
    }

    @Test func flagsBadTimestampsAndTypes() throws {
        let f = try #require(
            Self.fields(
                #"{"messageTimestamp": "soon", "key": {"id": 5}, "audioMessage": {"seconds": "x", "#
                    + #""fileSha256": "not base64!", "mimetype": 3, "localPath": {"a": 1}}}"#))
        #expect(f.sentTime == nil && f.keyID == nil && f.declaredSeconds == nil && f.fileSHA256 == nil)
        #expect(f.mimetype == nil && f.localPath == nil)
        #expect(f.invalidFields == [.messageTimestamp, .keyID, .seconds, .fileSha256, .mimetype, .localPath])
        #expect(Self.fields(#"{"messageTimestamp": 0, "audioMessage": {}}"#)?.invalidFields == .messageTimestamp)
    }

    @Test func readsSecondsLeniently() {
        #expect(Self.fields(#"{"audioMessage": {"seconds": 2.46}}"#)?.declaredSeconds == 2)
        #expect(Self.fields(#"{"audioMessage": {"seconds": "7"}}"#)?.declaredSeconds == 7)
        #expect(Self.fields(#"{"audioMessage": {"seconds": 0}}"#)?.declaredSeconds == 0)
        #expect(Self.fields(#"{"audioMessage": {"seconds": -1}}"#)?.invalidFields == .seconds)
    }

    @Test func readsDigestsInEitherAlphabet() {
        let digest = ContentDigest(base64: Self.sha)
        let urlSafe = Self.sha.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let unpadded = String(Self.sha.dropLast())
        let escaped = Self.sha.replacingOccurrences(of: "/", with: "\\/")
        for text in [urlSafe, unpadded, escaped] {
            #expect(Self.fields(#"{"audioMessage": {"fileSha256": "\#(text)"}}"#)?.fileSHA256 == digest, "\(text)")
        }
        // 31 bytes is not a SHA-256.
        #expect(
            Self.fields(#"{"audioMessage": {"fileSha256": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}}"#)?
                .invalidFields == .fileSha256)
    }

    @Test func classifiesUnusableTexts() {
        #expect(Self.read("") == .failure(.empty))
        #expect(Self.read(" \n ") == .failure(.empty))
        #expect(Self.read("[Áudio]") == .failure(.nonJSON))
        #expect(Self.read(#"{"audioMessage": {"seconds": 7}"#) == .failure(.nonJSON))
        #expect(Self.read(#"{"audioMessage": {}} trailing"#) == .failure(.nonJSON))
        #expect(Self.read(#""[Áudio]""#) == .failure(.notAnObject))
        #expect(Self.read("[1, 2]") == .failure(.notAnObject))
        #expect(Self.read("{}") == .failure(.noAudioMessage))
        #expect(Self.read(#"{"imageMessage": {}}"#) == .failure(.noAudioMessage))
        #expect(Self.read(#"{"audioMessage": null}"#) == .failure(.noAudioMessage))
        #expect(Self.read(#"{"audioMessage": "x"}"#) == .failure(.noAudioMessage))
        // Broken JSON after a perfectly good audioMessage is still broken: nothing is half-read.
        #expect(Self.read(#"{"audioMessage": {"seconds": 7}, "x": [1,}"#) == .failure(.nonJSON))
    }

    @Test func followsTheLastDuplicateKey() {
        let f = Self.fields(#"{"audioMessage": {"seconds": 1}, "audioMessage": {"seconds": 2, "seconds": 3}}"#)
        #expect(f?.declaredSeconds == 3)
        #expect(Self.read(#"{"audioMessage": {"seconds": 1}, "audioMessage": null}"#) == .failure(.noAudioMessage))
    }

    @Test func readsEscapedKeysAndNestedMessages() {
        #expect(Self.fields(#"{"\u0061udioMessage": {"\u0073econds": 4}}"#)?.declaredSeconds == 4)
        let nested = Self.fields(
            #"{"key": {"id": "3A1"}, "message": {"audioMessage": {"seconds": 5, "localPath": "a/b.ogg"}}, "#
                + #""messageTimestamp": 1754910197}"#)
        #expect(nested?.declaredSeconds == 5)
        #expect(nested?.localPath == "a/b.ogg")
        #expect(nested?.keyID == "3A1")
        #expect(nested?.sentTime == 1_754_910_197)
        // A top-level audioMessage wins over a nested one.
        #expect(
            Self.fields(#"{"message": {"audioMessage": {"seconds": 5}}, "audioMessage": {"seconds": 6}}"#)?
                .declaredSeconds == 6)
    }

    @Test func skipsTheKeyIDWhenTheColumnHasIt() throws {
        let f = try Self.read(#"{"key": {"id": "X"}, "audioMessage": {}}"#, wantsKeyID: false).get()
        #expect(f.keyID == nil)
    }

    @Test func readsLocalPathWithEscapes() {
        #expect(
            Self.fields(#"{"audioMessage": {"localPath": "A_B\/instance_1\/chats\/55\/msg_1.ogg"}}"#)?
                .localPath == "A_B/instance_1/chats/55/msg_1.ogg")
        #expect(Self.fields(#"{"audioMessage": {"localPath": ""}}"#)?.localPath == nil)
    }
}
