import Foundation
import MatchEngine
import Testing

@testable import MessageStore

@Suite struct ConteudoEditorTests {
    static let link = ChangeSet.Change.Action.link(
        localPath: "A_B/instance_X/chats/5569/msg_1.ogg", localUrl: "/api/audio/hash-mapping/7/")

    static func edited(_ text: String, _ action: ChangeSet.Change.Action = link) throws -> String? {
        switch try ConteudoEditor.apply(action, to: text) {
        case .unchanged: nil
        case .changed(let new): new
        }
    }

    @Test func appendsMissingKeysInTheObjectsOwnStyle() throws {
        #expect(
            try Self.edited(#"{"audioMessage":{"seconds":7},"x":1}"#)
                == #"{"audioMessage":{"seconds":7,"localPath":"A_B/instance_X/chats/5569/msg_1.ogg","#
                + #""localUrl":"/api/audio/hash-mapping/7/"},"x":1}"#)
        #expect(
            try Self.edited(#"{"audioMessage": {"seconds": 7, "ptt": true}}"#)
                == #"{"audioMessage": {"seconds": 7, "ptt": true, "localPath": "A_B/instance_X/chats/5569/msg_1.ogg", "#
                + #""localUrl": "/api/audio/hash-mapping/7/"}}"#)
        let pretty = """
            {
              "audioMessage": {
                "seconds": 7,
                "ptt": true
              },
              "messageTimestamp": 1754910197
            }
            """
        #expect(
            try Self.edited(pretty) == """
                {
                  "audioMessage": {
                    "seconds": 7,
                    "ptt": true,
                    "localPath": "A_B/instance_X/chats/5569/msg_1.ogg",
                    "localUrl": "/api/audio/hash-mapping/7/"
                  },
                  "messageTimestamp": 1754910197
                }
                """)
        #expect(
            try Self.edited(#"{"audioMessage": {}}"#)
                == #"{"audioMessage": {"localPath":"A_B/instance_X/chats/5569/msg_1.ogg","#
                + #""localUrl":"/api/audio/hash-mapping/7/"}}"#)
    }

    @Test func replacesExistingValuesInPlace() throws {
        let text = #"{"audioMessage": {"localUrl": "/old/", "seconds": 7, "localPath": "old\/x.ogg", "ptt": true}}"#
        #expect(
            try Self.edited(text)
                == #"{"audioMessage": {"localUrl": "/api/audio/hash-mapping/7/", "seconds": 7, "#
                + #""localPath": "A_B/instance_X/chats/5569/msg_1.ogg", "ptt": true}}"#)
        // Only one of the two present: replaced in place, the other appended.
        #expect(
            try Self.edited(#"{"audioMessage": {"localPath": "old", "seconds": 7}}"#)
                == #"{"audioMessage": {"localPath": "A_B/instance_X/chats/5569/msg_1.ogg", "seconds": 7, "#
                + #""localUrl": "/api/audio/hash-mapping/7/"}}"#)
    }

    @Test func saysUnchangedWhenTheValuesAreThere() throws {
        let text =
            #"{"audioMessage": {"localPath": "A_B\/instance_X\/chats\/5569\/msg_1.ogg", "#
            + #""localUrl": "/api/audio/hash-mapping/7/"}}"#
        #expect(try ConteudoEditor.apply(Self.link, to: text) == .unchanged)
        #expect(try ConteudoEditor.apply(.unlink, to: #"{"audioMessage": {"seconds": 1}}"#) == .unchanged)
    }

    @Test func rewritesEveryDuplicate() throws {
        let text = #"{"audioMessage": {"localPath": "a", "seconds": 1, "localPath": "b"}}"#
        let new = try #require(try Self.edited(text))
        #expect(new.components(separatedBy: "A_B/instance_X/chats/5569/msg_1.ogg").count == 3)
        #expect(try Self.edited(text, .unlink) == #"{"audioMessage": {"seconds": 1}}"#)
    }

    @Test func removesKeysWithTheirSeparators() throws {
        #expect(
            try Self.edited(#"{"audioMessage": {"seconds": 1, "localPath": "a", "localUrl": "b"}}"#, .unlink)
                == #"{"audioMessage": {"seconds": 1}}"#)
        #expect(
            try Self.edited(#"{"audioMessage": {"localPath": "a", "localUrl": "b", "seconds": 1}}"#, .unlink)
                == #"{"audioMessage": {"seconds": 1}}"#)
        #expect(
            try Self.edited(
                #"{"audioMessage": {"a": 0, "localPath": "a", "b": 2, "localUrl": "b", "c": 3}}"#,
                .unlink)
                == #"{"audioMessage": {"a": 0, "b": 2, "c": 3}}"#)
        #expect(
            try Self.edited(#"{"audioMessage": {"localPath": "a", "localUrl": "b"}}"#, .unlink)
                == #"{"audioMessage": {}}"#)
        let pretty = "{\n  \"audioMessage\": {\n    \"seconds\": 1,\n    \"localPath\": \"a\"\n  }\n}"
        #expect(try Self.edited(pretty, .unlink) == "{\n  \"audioMessage\": {\n    \"seconds\": 1\n  }\n}")
        let first = "{\n  \"audioMessage\": {\n    \"localPath\": \"a\",\n    \"seconds\": 1\n  }\n}"
        #expect(try Self.edited(first, .unlink) == "{\n  \"audioMessage\": {\n    \"seconds\": 1\n  }\n}")
    }

    @Test func escapesWhatItWrites() throws {
        let action = ChangeSet.Change.Action.link(localPath: "Zé \"Q\"/a\\b\n\u{01}😀.ogg", localUrl: "/u/")
        let new = try #require(try Self.edited(#"{"audioMessage": {}}"#, action))
        #expect(new.contains(#""Zé \"Q\"/a\\b\n\u0001😀.ogg""#))
        let object = try JSONSerialization.jsonObject(with: Data(new.utf8)) as? [String: Any]
        let audio = object?["audioMessage"] as? [String: Any]
        #expect(audio?["localPath"] as? String == "Zé \"Q\"/a\\b\n\u{01}😀.ogg")
    }

    @Test("A string is written as JSON reads it back: every control character, quotes and backslashes at either end")
    func encodesStringsAsJSONReadsThem() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap { Unicode.Scalar(UInt32($0)) }))
        let samples = ["", "plain/msg_1.ogg", "\"start", "end\\", "\u{1F}", "a\"b\\c\nd\te", controls + "tail é 😀"]
        for sample in samples {
            let encoded = JSONText.encodeString(sample)
            let decoded = try JSONSerialization.jsonObject(with: Data(encoded), options: .fragmentsAllowed) as? String
            #expect(decoded == sample, "\(sample.debugDescription)")
        }
        #expect(JSONText.encodeString("A_B/msg 1.ogg") == Array(#""A_B/msg 1.ogg""#.utf8))
    }

    @Test func editsTheNestedAudioMessageWhenThatIsTheOne() throws {
        let text = #"{"key": {"id": "X"}, "message": {"audioMessage": {"seconds": 1}}}"#
        #expect(
            try Self.edited(text, .link(localPath: "p", localUrl: "u"))
                == #"{"key": {"id": "X"}, "message": {"audioMessage": {"seconds": 1, "localPath": "p", "localUrl": "u"}}}"#
        )
    }

    @Test func keepsEscapesAndNumbersElsewhere() throws {
        let text = #"{"a": "\u00e9\/", "n": 1754910197.0, "audioMessage": {"url": "https:\/\/x", "seconds": 7e0}}"#
        let new = try #require(try Self.edited(text, .link(localPath: "p", localUrl: "u")))
        #expect(
            new == #"{"a": "\u00e9\/", "n": 1754910197.0, "audioMessage": {"url": "https:\/\/x", "seconds": 7e0, "#
                + #""localPath": "p", "localUrl": "u"}}"#)
    }

    @Test(arguments: [
        "", "{}", #"{"audioMessage": 1}"#, #"{"audioMessage": {}"#, "[1, 2]", "42",
        // A cut-off gateway document is not a caption, and neither is a long text or one with a control byte.
        #"{"audioMessage": {"seconds": 7, "fileLength": "18"#, String(repeating: "á", count: 150), "[Áudio]\u{07}x",
    ])
    func refusesWhatItCannotEdit(text: String) {
        #expect(throws: ConteudoEditError.self) { try ConteudoEditor.apply(Self.link, to: text) }
    }

    @Test("A legacy caption becomes an object that keeps it; unlinking one changes nothing")
    func replacesALegacyCaption() throws {
        let link = ChangeSet.Change.Action.link(localPath: "A/ç \"x\".ogg", localUrl: "/api/audio/hash-mapping/4/")
        for (text, caption) in [
            ("[Áudio]", #""[Áudio]""#), (" 🎤 Mensagem de voz\n", #""🎤 Mensagem de voz""#),
            (#""[\u00c1udio]""#, #""[\u00c1udio]""#),
        ] {
            let new = try #require(try Self.edited(text, link))
            #expect(
                new == #"{"audioMessage": {"localPath": "A/ç \"x\".ogg", "localUrl": "/api/audio/hash-mapping/4/"}, "#
                    + #""legacyText": "# + caption + "}")
            // What was written reads back as a linked audio message, and a second link is a no-op.
            #expect(try ConteudoEditor.apply(link, to: new) == .unchanged)
            #expect(try ConteudoEditor.apply(.unlink, to: text) == .unchanged)
        }
    }

    // MARK: Property: nothing but the two keys changes

    @Test(arguments: 0..<300)
    func changesNothingElse(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        let document = RandomConteudo.make(&random)
        let action: ChangeSet.Change.Action =
            random.next() % 3 == 0
            ? .unlink : .link(localPath: RandomConteudo.string(&random), localUrl: RandomConteudo.string(&random))
        let edit = try ConteudoEditor.apply(action, to: document)
        let new: String
        switch edit {
        case .unchanged: new = document
        case .changed(let text): new = text
        }
        let before = try Self.parse(document)
        let after = try Self.parse(new)
        // Everything outside audioMessage, and everything in it but the two keys, is equal.
        var beforeAudio = before["audioMessage"] as! [String: Any]
        var afterAudio = after["audioMessage"] as! [String: Any]
        switch action {
        case .link(let path, let url):
            #expect(afterAudio["localPath"] as? String == path)
            #expect(afterAudio["localUrl"] as? String == url)
        case .unlink:
            #expect(afterAudio["localPath"] == nil && afterAudio["localUrl"] == nil)
        }
        for key in ["localPath", "localUrl"] {
            beforeAudio[key] = nil
            afterAudio[key] = nil
        }
        #expect(try Self.canonical(beforeAudio) == Self.canonical(afterAudio))
        var beforeRest = before
        var afterRest = after
        beforeRest["audioMessage"] = nil
        afterRest["audioMessage"] = nil
        #expect(try Self.canonical(beforeRest) == Self.canonical(afterRest))
        // Byte equality of what lies before and after the audioMessage object.
        let (open, close) = try #require(RandomConteudo.audioObjectBounds(document))
        let (newOpen, newClose) = try #require(RandomConteudo.audioObjectBounds(new))
        let old = Array(document.utf8)
        let fresh = Array(new.utf8)
        #expect(open == newOpen)
        #expect(old[..<open] == fresh[..<newOpen])
        #expect(old[close...] == fresh[newClose...])
        // Applying the same action again changes nothing.
        #expect(try ConteudoEditor.apply(action, to: new) == .unchanged)
    }

    /// One text per value: the reference writer with sorted keys.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func parse(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// A small deterministic generator, so a failing seed can be replayed.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Random `conteudo` documents: nested objects and arrays, odd strings and numbers, several white space
/// styles, and an `audioMessage` object that may already hold the two keys.
enum RandomConteudo {
    static let keys = ["url", "mimetype", "seconds", "ptt", "mediaKey", "a", "é", "k\"q", "localPathX", "nested"]

    static func make(_ r: inout SplitMix64) -> String {
        let style = r.below(3)  // 0 compact, 1 spaced, 2 pretty
        var audio: [(String, String)] = []
        var used = Set<String>()
        for _ in 0..<r.below(6) {
            let key = keys[r.below(keys.count)]
            if used.insert(key).inserted { audio.append((key, value(&r, depth: 1, style: style))) }
        }
        for key in ["localPath", "localUrl"] where r.below(2) == 0 {
            audio.insert((key, quoted(string(&r))), at: r.below(audio.count + 1))
        }
        var top: [(String, String)] = [("audioMessage", object(audio, style: style, depth: 1))]
        for (index, key) in ["messageTimestamp", "key", "status", "extra"].enumerated() where r.below(2) == 0 {
            top.insert((key, value(&r, depth: 1, style: style)), at: min(index, top.count))
        }
        return object(top, style: style, depth: 0)
    }

    static func object(_ members: [(String, String)], style: Int, depth: Int) -> String {
        if members.isEmpty { return "{}" }
        let indent = String(repeating: "  ", count: depth + 1)
        let body = members.map { quoted($0.0) + (style == 0 ? ":" : ": ") + $0.1 }
        switch style {
        case 0: return "{" + body.joined(separator: ",") + "}"
        case 1: return "{" + body.joined(separator: ", ") + "}"
        default:
            return "{\n" + body.map { indent + $0 }.joined(separator: ",\n") + "\n"
                + String(repeating: "  ", count: depth) + "}"
        }
    }

    static func value(_ r: inout SplitMix64, depth: Int, style: Int) -> String {
        switch r.below(depth > 3 ? 6 : 8) {
        case 0: return quoted(string(&r))
        case 1: return String(Int64(bitPattern: r.next()) >> r.below(60))
        case 2: return ["1.5", "-0.25e3", "1754910197.0", "0", "-0", "7E2"][r.below(6)]
        case 3: return ["true", "false", "null"][r.below(3)]
        case 4: return #""\u00e9\ud83d\ude00\/x\"""#
        case 5: return quoted("localPath")
        case 6:
            let members = (0..<r.below(4)).map { i in ("k\(i)", value(&r, depth: depth + 1, style: style)) }
            return object(members, style: style, depth: depth)
        default:
            return "["
                + (0..<r.below(4)).map { _ in value(&r, depth: depth + 1, style: style) }
                .joined(separator: style == 0 ? "," : ", ") + "]"
        }
    }

    static func string(_ r: inout SplitMix64) -> String {
        let alphabet = Array("abcXYZ019/_-. é😀\"\\\n\t")
        return String((0..<r.below(12) + 1).map { _ in alphabet[r.below(alphabet.count)] })
    }

    static func quoted(_ s: String) -> String {
        String(decoding: JSONText.encodeString(s), as: UTF8.self)
    }

    /// The byte offsets of the top-level `audioMessage` object's `{` and one past its `}`.
    static func audioObjectBounds(_ text: String) -> (Int, Int)? {
        var text = text
        return text.withUTF8 { buffer in
            guard let layout = try? ConteudoLayout.locate(in: buffer) else { return nil }
            return (layout.audioMessage.start, layout.audioMessage.end)
        }
    }
}
