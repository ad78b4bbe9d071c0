import Foundation
import MatchEngine

@testable import MessageStore

/// Differential fuzzing of the hand-written `conteudo` reader and the in-place editor against
/// Foundation's JSON parser: documents are generated (shaped like gateways' `conteudo`, with every
/// odd form of each field) and mutated (bytes flipped, cut, repeated, spliced); whenever Foundation
/// parses one, the reader must read the same fields as ``ConteudoReference`` computes from
/// Foundation's tree, and an edit must change only `audioMessage.localPath` and `localUrl`.
struct ConteudoFuzzer {
    /// One disagreement, with the document that shows it.
    struct Finding: CustomStringConvertible {
        var kind: String
        var document: [UInt8]
        var detail: String

        var description: String {
            "\(kind): \(String(reflecting: String(decoding: document, as: UTF8.self))) — \(detail)"
        }
    }

    struct Statistics {
        var executions = 0
        /// Documents Foundation parsed, so the oracle applied.
        var parsed = 0
        /// Of those, documents with an audioMessage (the editor was checked on them).
        var edited = 0
        var findings: [Finding] = []
        /// Findings by kind, all of them (``findings`` keeps the first few of each).
        var findingCounts: [String: Int] = [:]
    }

    private var random: FuzzRandom
    private(set) var statistics = Statistics()
    /// Documents that parsed: the seeds of mutation.
    private var corpus: [[UInt8]] = []

    init(seed: UInt64) {
        random = FuzzRandom(seed: seed)
    }

    /// Runs `count` executions (or until `shouldStop` says so).
    mutating func run(executions count: Int, shouldStop: (Statistics) -> Bool = { _ in false }) {
        for _ in 0..<count {
            if statistics.executions % 256 == 0, shouldStop(statistics) { return }
            let document: [UInt8]
            if corpus.isEmpty || random.chance(0.4) {
                document = Array(generateDocument().utf8)
            } else {
                document = mutate(corpus[random.below(corpus.count)])
            }
            check(document)
        }
    }

    /// One document through the reader, the editor and the oracle.
    mutating func check(_ document: [UInt8]) {
        statistics.executions += 1
        let actual = Self.read(document)
        guard let tree = ConteudoReference.Value.parse(Data(document)) else { return }
        statistics.parsed += 1
        if corpus.count < 4096 { corpus.append(document) } else { corpus[random.below(corpus.count)] = document }
        if ConteudoFuzzer.deeperThanReader(document) || ConteudoFuzzer.holdsByteOrderMark(document) { return }
        let expected = ConteudoReference.expected(tree)
        switch (expected, actual) {
        case (.success(let e), .success(let a)) where e == a: break
        case (.failure(let e), .failure(let a)) where e == a: break
        default:
            record(
                "reader", document,
                "Foundation's tree says \(Self.text(expected)); the reader says \(Self.text(actual))")
        }
        guard case .success = expected else { return }
        statistics.edited += 1
        checkEdits(document, tree)
    }

    /// Foundation on Linux drops U+FEFF from strings it parses (`{"\u{FEFF}audioMessage": …}` comes
    /// back with the key `audioMessage`), which JSON does not allow: the oracle is wrong there, so
    /// such documents are not compared. (Measured: swift-corelibs-foundation of Swift 6.3.)
    static func holdsByteOrderMark(_ document: [UInt8]) -> Bool {
        guard document.count >= 3 else { return false }
        for index in 0..<(document.count - 2)
        where document[index] == 0xEF && document[index + 1] == 0xBB && document[index + 2] == 0xBF {
            return true
        }
        return false
    }

    /// The reader refuses nesting deeper than ``JSONCursor/maximumDepth`` (its stack is bounded);
    /// Foundation allows 512. A deliberate difference, so such documents are not compared.
    static func deeperThanReader(_ document: [UInt8]) -> Bool {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in document {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B:
                depth += 1
                deepest = max(deepest, depth)
            case 0x7D, 0x5D: depth -= 1
            default: break
            }
        }
        return deepest >= JSONCursor.maximumDepth
    }

    private mutating func checkEdits(_ document: [UInt8], _ tree: ConteudoReference.Value) {
        let text = String(decoding: document, as: UTF8.self)
        let path = randomText()
        let url = randomText()
        for action in [ChangeSet.Change.Action.link(localPath: path, localUrl: url), .unlink] {
            let edit: ConteudoEdit
            do {
                edit = try ConteudoEditor.apply(action, to: text)
            } catch {
                record("editor", document, "refused a document Foundation reads: \(error)")
                continue
            }
            let after: [UInt8]
            switch edit {
            case .unchanged: after = document
            case .changed(let new): after = Array(new.utf8)
            }
            guard let edited = ConteudoReference.Value.parse(Data(after)) else {
                record(
                    "editor", document,
                    "wrote text Foundation cannot parse: \(String(reflecting: String(decoding: after, as: UTF8.self)))")
                continue
            }
            let wanted = Self.applying(action, to: tree)
            if !edited.same(as: wanted) {
                record(
                    "editor", document,
                    "\(action) gave \(String(reflecting: String(decoding: after, as: UTF8.self))), which changes more than localPath/localUrl"
                )
                continue
            }
            if case .unchanged = edit, !tree.same(as: wanted) {
                record("editor", document, "\(action) said unchanged, but the document does not hold it")
            }
            // What was written reads back.
            if case .link(let path, _) = action, case .success(let fields) = Self.read(after),
                fields.localPath != (path.isEmpty ? nil : Array(path.utf8))
            {
                let read = fields.localPath.map { String(decoding: $0, as: UTF8.self) }
                record("editor", document, "the linked text reads back localPath \(String(reflecting: read))")
            }
        }
    }

    /// The tree with the action done to its effective `audioMessage`.
    static func applying(_ action: ChangeSet.Change.Action, to tree: ConteudoReference.Value) -> ConteudoReference.Value
    {
        guard var top = tree.members, let (audio, nested) = ConteudoReference.audioMessage(of: tree) else {
            return tree
        }
        var members = audio
        switch action {
        case .link(let path, let url):
            members["localPath"] = .string(path)
            members["localUrl"] = .string(url)
        case .unlink:
            members["localPath"] = nil
            members["localUrl"] = nil
        }
        if nested, var message = top["message"]?.members {
            message["audioMessage"] = .object(members)
            top["message"] = .object(message)
        } else {
            top["audioMessage"] = .object(members)
        }
        return .object(top)
    }

    private mutating func record(_ kind: String, _ document: [UInt8], _ detail: String) {
        statistics.findingCounts[kind, default: 0] += 1
        if statistics.findings.filter({ $0.kind == kind }).count < 5 {
            statistics.findings.append(Finding(kind: kind, document: document, detail: detail))
        }
    }

    static func read(_ document: [UInt8]) -> Result<ConteudoReference.Expected, ConteudoProblem> {
        var interner = StringInterner()
        return document.withUnsafeBufferPointer { buffer in
            Result { () throws(ConteudoProblem) in
                ConteudoReference.Expected(try ConteudoFields.read(buffer, wantsKeyID: true, mimetypes: &interner))
            }
        }
    }

    private static func text(_ result: Result<ConteudoReference.Expected, ConteudoProblem>) -> String {
        switch result {
        case .success(let fields): "{\(fields)}"
        case .failure(let problem): "\(problem)"
        }
    }

    // MARK: Generation

    /// A document shaped like a gateway's `conteudo`: the fields that matter in every form seen or
    /// imaginable, amid other keys, sometimes repeated, escaped or nested under `message`.
    mutating func generateDocument() -> String {
        var members: [(String, String)] = []
        let audio = generateAudioMessage()
        switch random.below(10) {
        case 0..<6: members.append(("audioMessage", audio))
        case 6..<8: members.append(("message", object([("audioMessage", audio)] + noiseMembers(2))))
        case 8: members.append(("audioMessage", generateValue(depth: 2)))
        default:
            members.append(("message", object([("audioMessage", generateAudioMessage())])))
            members.append(("audioMessage", audio))
        }
        if random.chance(0.6) { members.append(("messageTimestamp", numberish(magnitude: 1_754_910_197))) }
        if random.chance(0.6) {
            var key: [(String, String)] = [("remoteJid", quoted("556999267344@s.whatsapp.net")), ("fromMe", "false")]
            if random.chance(0.8) {
                key.append(("id", random.chance(0.8) ? quoted(randomID()) : generateValue(depth: 3)))
            }
            if random.chance(0.3) {
                key.append(
                    (
                        "participant",
                        random.chance(0.8) ? quoted("5511987654321@s.whatsapp.net") : generateValue(depth: 3)
                    ))
            }
            members.append(("key", random.chance(0.9) ? object(key) : generateValue(depth: 2)))
        }
        members += noiseMembers(random.below(4))
        members.shuffle(using: &random)
        if random.chance(0.1), let repeated = members.randomElement(using: &random) {
            // A key given twice: the last one counts.
            members.insert((repeated.0, generateValue(depth: 2)), at: random.below(members.count + 1))
        }
        return object(members)
    }

    private mutating func generateAudioMessage() -> String {
        var members: [(String, String)] = [("url", quoted("https://mmg.whatsapp.net/v/t62.7117-24/x.enc"))]
        if random.chance(0.8) {
            members.append(
                (
                    "mimetype",
                    random.chance(0.85)
                        ? quoted(
                            ["audio/ogg; codecs=opus", "audio/mpeg", "audio/mp4", "AUDIO/OGG", ""].randomElement(
                                using: &random)!) : generateValue(depth: 3)
                ))
        }
        if random.chance(0.7) {
            members.append(("fileSha256", random.chance(0.8) ? digestLiteral() : generateValue(depth: 3)))
        }
        if random.chance(0.7) { members.append(("fileLength", numberish(magnitude: 18342))) }
        if random.chance(0.7) { members.append(("seconds", numberish(magnitude: 7))) }
        if random.chance(0.3) {
            members.append(("localPath", random.chance(0.8) ? quoted(randomText()) : generateValue(depth: 3)))
        }
        if random.chance(0.3) {
            members.append(
                ("localUrl", random.chance(0.8) ? quoted("/api/audio/hash-mapping/7/") : generateValue(depth: 3)))
        }
        if random.chance(0.5) { members.append(("ptt", "true")) }
        members += noiseMembers(random.below(3))
        members.shuffle(using: &random)
        if random.chance(0.15), let repeated = members.randomElement(using: &random) {
            members.insert((repeated.0, generateValue(depth: 3)), at: random.below(members.count + 1))
        }
        return object(members)
    }

    private mutating func noiseMembers(_ count: Int) -> [(String, String)] {
        (0..<count).map { _ in
            (
                [
                    "mediaKey", "directPath", "contextInfo", "caption", "x", "seconds2", "Seconds", "localpath",
                    "audioMessage2",
                ].randomElement(using: &random)!,
                generateValue(depth: 2)
            )
        }
    }

    /// A number in one of the forms gateways use: plain, fractional, exponent, in a string, as a
    /// protobuf Long, negative, huge, or not a number at all.
    private mutating func numberish(magnitude: Int64) -> String {
        switch random.below(16) {
        case 0: return "\(magnitude)"
        case 1: return "\(magnitude).\(random.below(10))"
        case 2: return "\(Double(magnitude) / 1000)e3"
        case 3: return quoted("\(magnitude)")
        case 4: return quoted("\(magnitude).5")
        case 5: return "{\"low\": \(magnitude), \"high\": 0, \"unsigned\": false}"
        case 6: return "{\"low\": -\(random.below(2_000_000_000)), \"high\": \(random.below(3))}"
        case 7: return "-\(magnitude)"
        case 8:
            return [
                "0", "-0", "0.0", "1e-7", "-1.5", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "18446744073709551616", "1E2", "1e+2", "1e308", "1754910197000", "1754910197000000", "4.9e-324",
            ].randomElement(using: &random)!
        case 9:
            return quoted(
                ["", " 7", "7 ", "+7", "0x10", "07", "1e3", "-", "7.", ".5", "١٢"].randomElement(using: &random)!)
        case 10: return "\"\\u0031\\u0038\""
        case 11: return "{\"high\": 0, \"low\": \"5\"}"
        case 12: return ["null", "true", "false", "[]", "{}", "[7]"].randomElement(using: &random)!
        default: return "\(Int64(random.below(1_000_000_000)) * (random.chance(0.5) ? 1 : 1000))"
        }
    }

    /// A `fileSha256` string literal: the digest in base64, in the forms gateways and mistakes give it.
    private mutating func digestLiteral() -> String {
        let bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var text = Data(bytes).base64EncodedString()
        switch random.below(8) {
        case 0: text.removeLast()  // no padding
        case 1: text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        case 2: text += "="
        case 3: text.removeLast(2)
        case 4: text = String(text.dropFirst())
        case 5:
            // The first character written as a `\u` escape: the same string to any JSON reader.
            return "\"\\u00" + String(format: "%02x", Int(text.utf8.first!)) + text.dropFirst() + "\""
        case 6: text = text.replacingOccurrences(of: "/", with: "\\/")
        default: break
        }
        return "\"" + text + "\""
    }

    private mutating func randomID() -> String {
        let prefix = ["3EB0", "3A", "BAE5", ""].randomElement(using: &random)!
        return prefix + String(random.next(), radix: 16, uppercase: true)
    }

    /// Text for strings: paths with every character JSON must escape, non-ASCII, and escapes already
    /// written (the caller quotes it raw, so `\` sequences stay escapes).
    mutating func randomText() -> String {
        let pieces = [
            "Elizeu_Batiliere_Dos_Santos/instance_3B6XIW/chats/5569/audio/msg_9D07958D_20250809_174918.ogg",
            "a", "/", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "😀", "\u{2028}", " ", "%20",
            "..",
        ]
        return (0..<random.below(5)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    private mutating func generateValue(depth: Int) -> String {
        let choice = depth > 6 ? random.below(6) : random.below(9)
        switch choice {
        case 0: return "null"
        case 1: return random.chance(0.5) ? "true" : "false"
        case 2: return numberish(magnitude: Int64(random.below(100_000)))
        case 3: return quoted(randomText())
        case 4: return stringWithEscapes()
        case 5: return "\"\\ud83d\\ude00\\u00e9\\/\""
        case 6:
            return "["
                + (0..<random.below(4)).map { _ in generateValue(depth: depth + 1) }.joined(
                    separator: random.chance(0.5) ? "," : ", ") + "]"
        case 7:
            return object(
                (0..<random.below(4)).map { _ in
                    (
                        ["a", "low", "high", "audioMessage", "id", "seconds"].randomElement(using: &random)!,
                        generateValue(depth: depth + 1)
                    )
                })
        default:
            return String(repeating: "[", count: 250 + random.below(20))
                + String(repeating: "]", count: 250 + random.below(20))
        }
    }

    private mutating func stringWithEscapes() -> String {
        let escapes = [
            "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\ud800", "\\udc00x", "\\u00e9", "\\b\\f\\r\\t", "abc",
        ]
        return "\"" + (0..<random.below(4)).map { _ in escapes.randomElement(using: &random)! }.joined() + "\""
    }

    /// A JSON string literal of `text`, escaped as JSON requires, its keys sometimes written with
    /// `\u` escapes.
    private mutating func quoted(_ text: String) -> String {
        String(decoding: JSONText.encodeString(text), as: UTF8.self)
    }

    private mutating func object(_ members: [(String, String)]) -> String {
        let style = random.below(4)
        let (open, separator, colon, close) =
            switch style {
            case 0: ("{", ",", ":", "}")
            case 1: ("{", ", ", ": ", "}")
            case 2: ("{\n  ", ",\n  ", ": ", "\n}")
            default: ("{ ", " ,\t", " : ", " }")
            }
        let body = members.map { key, value in
            let keyText = random.chance(0.05) ? escapedKey(key) : quoted(key)
            return keyText + colon + value
        }
        return open + body.joined(separator: separator) + close
    }

    private mutating func escapedKey(_ key: String) -> String {
        guard let first = key.unicodeScalars.first else { return "\"\"" }
        return "\"\\u" + String(format: "%04x", first.value) + String(key.unicodeScalars.dropFirst()) + "\""
    }

    // MARK: Mutation

    /// A byte-level change to a document that parsed: most mutants are broken JSON (the reader must
    /// not crash on them), some are new valid documents (the oracle applies again).
    mutating func mutate(_ document: [UInt8]) -> [UInt8] {
        var bytes = document
        for _ in 0..<(1 + random.below(3)) {
            guard !bytes.isEmpty else { return Array(generateDocument().utf8) }
            let at = random.below(bytes.count)
            switch random.below(9) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(Array("{}[]\",:\\ 0-.eE\u{7F}".utf8).randomElement(using: &random)!, at: at)
            case 3:
                let end = min(bytes.count, at + random.below(16) + 1)
                bytes.insert(contentsOf: bytes[at..<end], at: random.below(bytes.count + 1))
            case 4: bytes.removeSubrange(at..<min(bytes.count, at + random.below(8) + 1))
            case 5:
                let tokens = [
                    "null", "true", "\"\\u0000\"", "1e999", "-0", "\"\\ud800\"", "[]", "{}", "\"audioMessage\"",
                    "\"localPath\"", "\u{FEFF}", "\u{C0}\u{80}",
                ]
                bytes.insert(contentsOf: Array(tokens.randomElement(using: &random)!.utf8), at: at)
            case 6: bytes.insert([0xFF, 0xC3, 0xE2, 0x80].randomElement(using: &random)!, at: at)
            case 7:
                // Splice another corpus document's tail.
                if let other = corpus.randomElement(using: &random), !other.isEmpty {
                    let from = random.below(other.count)
                    bytes = Array(bytes[..<at]) + other[from...]
                }
            default:
                if bytes[at] >= 0x30 && bytes[at] <= 0x39 { bytes[at] = 0x30 + UInt8(random.below(10)) }
            }
        }
        return bytes
    }
}

/// FuzzRandom: small, seedable, so a run replays exactly.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
}
