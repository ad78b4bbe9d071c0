import Foundation
import MatchEngine

@testable import MessageStore

/// What audiosync must read from a `conteudo`, computed from the tree Foundation's parser builds: the
/// oracle of ``ConteudoDifferentialTests``. Written from the reader's documented rules (docs/message-
/// store.md), not from its code, so that the two can disagree.
enum ConteudoReference {
    /// A JSON value as Foundation parsed it.
    indirect enum Value: Equatable {
        case null
        case bool(Bool)
        /// A number that fits 64 bits exactly.
        case integer(Int64)
        /// Any other number: a fraction, an exponent, or an integer beyond 64 bits (as a double).
        case double(Double)
        case string(String)
        case array([Value])
        case object([String: Value])

        /// The tree of `data`, or `nil` when Foundation refuses it.
        static func parse(_ data: Data) -> Value? {
            guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                return nil
            }
            return Value(any)
        }

        init?(_ any: Any) {
            switch any {
            case is NSNull:
                self = .null
            case let number as NSNumber:
                // Foundation hands booleans back as CFBoolean, the only NSNumber of type "c" it makes.
                let type = String(cString: number.objCType)
                if type == "c" {
                    self = .bool(number.boolValue)
                } else if let decimal = number as? NSDecimalNumber {
                    // Only integers beyond Int64 in one direction come back as decimals.
                    let text = decimal.stringValue
                    self = Int64(text).map(Value.integer) ?? .double(decimal.doubleValue)
                } else if type == "d" || type == "f" {
                    self = .double(number.doubleValue)
                } else if type == "Q" {
                    let value = number.uint64Value
                    self = value <= UInt64(Int64.max) ? .integer(Int64(value)) : .double(Double(value))
                } else {
                    self = .integer(number.int64Value)
                }
            case let text as String:
                self = .string(text)
            case let array as [Any]:
                var values: [Value] = []
                for element in array {
                    guard let value = Value(element) else { return nil }
                    values.append(value)
                }
                self = .array(values)
            case let object as [String: Any]:
                var values: [String: Value] = [:]
                for (key, element) in object {
                    guard let value = Value(element) else { return nil }
                    values[key] = value
                }
                self = .object(values)
            default:
                return nil
            }
        }

        subscript(key: String) -> Value? {
            if case .object(let members) = self { return members[key] }
            return nil
        }

        var members: [String: Value]? {
            if case .object(let members) = self { return members }
            return nil
        }

        /// Strict equality: strings by their UTF-8 bytes, not by canonical equivalence.
        func same(as other: Value) -> Bool {
            switch (self, other) {
            case (.string(let a), .string(let b)): return Array(a.utf8) == Array(b.utf8)
            case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
            case (.array(let a), .array(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.same(as: $1) }
            case (.object(let a), .object(let b)):
                return a.count == b.count && a.allSatisfy { key, value in b[key].map(value.same) ?? false }
            default: return self == other
            }
        }
    }

    /// The fields, as ``ConteudoFields`` holds them, or the problem that stops the read.
    struct Expected: Equatable, CustomStringConvertible {
        var declaredSeconds: Int?
        var fileLength: Int64?
        var fileSHA256: ContentDigest?
        var mimetype: [UInt8]?
        var localPath: [UInt8]?
        var sentTime: Int64?
        var keyID: [UInt8]?
        var participant: [UInt8]?
        var invalid: Set<String> = []

        init(_ fields: ConteudoFields) {
            declaredSeconds = fields.declaredSeconds
            fileLength = fields.fileLength
            fileSHA256 = fields.fileSHA256
            mimetype = fields.mimetype.map { Array($0.utf8) }
            localPath = fields.localPath.map { Array($0.utf8) }
            sentTime = fields.sentTime
            keyID = fields.keyID.map { Array($0.utf8) }
            participant = fields.participant.map { Array($0.utf8) }
            invalid = Set(InvalidFields.names.filter { fields.invalidFields.contains($0.0) }.map(\.1))
        }

        init() {}

        var description: String {
            func text(_ bytes: [UInt8]?) -> String {
                bytes.map { String(reflecting: String(decoding: $0, as: UTF8.self)) } ?? "nil"
            }
            return
                "seconds \(declaredSeconds.map(String.init) ?? "nil"), fileLength \(fileLength.map(String.init) ?? "nil"), "
                + "sha256 \(fileSHA256?.base64 ?? "nil"), mimetype \(text(mimetype)), localPath \(text(localPath)), "
                + "sentTime \(sentTime.map(String.init) ?? "nil"), keyID \(text(keyID)), participant \(text(participant)), "
                + "invalid \(invalid.sorted())"
        }
    }

    /// The `audioMessage` object a reader uses: the top-level one when the key is there (whatever it
    /// holds), else `message.audioMessage`.
    static func audioMessage(of document: Value) -> (members: [String: Value], nested: Bool)? {
        guard let top = document.members else { return nil }
        if let audio = top["audioMessage"] { return audio.members.map { ($0, false) } }
        return top["message"]?["audioMessage"]?.members.map { ($0, true) }
    }

    /// What the reader must return for a document Foundation parsed.
    static func expected(_ document: Value) -> Result<Expected, ConteudoProblem> {
        guard let top = document.members else { return .failure(.notAnObject) }
        guard let (audio, _) = audioMessage(of: document) else { return .failure(.noAudioMessage) }
        var out = Expected()
        func check<T>(_ name: String, _ value: Value?, _ read: (Value) -> T?, valid: (T) -> Bool = { _ in true }) -> T?
        {
            guard let value, value != .null else { return nil }
            if let result = read(value), valid(result) { return result }
            out.invalid.insert(name)
            return nil
        }
        out.declaredSeconds = check(
            "audioMessage.seconds", audio["seconds"], { wholeNumber($0, truncating: true) }, valid: { $0 >= 0 }
        ).map { Int(clamping: $0) }
        out.fileLength = check(
            "audioMessage.fileLength", audio["fileLength"], { wholeNumber($0, truncating: false) }, valid: { $0 >= 0 })
        if out.fileLength == 0 { out.fileLength = nil }
        out.fileSHA256 = check("audioMessage.fileSha256", audio["fileSha256"]) {
            if case .string(let text) = $0 { return digest(text) }
            return nil
        }
        out.mimetype = check("audioMessage.mimetype", audio["mimetype"]) {
            if case .string(let text) = $0 { return Array(text.utf8) }
            return nil
        }
        out.localPath = check("audioMessage.localPath", audio["localPath"]) {
            if case .string(let text) = $0 { return Array(text.utf8) }
            return nil
        }
        if out.localPath == [] { out.localPath = nil }
        out.sentTime = check("messageTimestamp", top["messageTimestamp"]) {
            wholeNumber($0, truncating: true).flatMap(ConteudoFields.unixSeconds)
        }
        let key = top["key"]?.members
        out.keyID = check("key.id", key?["id"]) {
            if case .string(let text) = $0 { return Array(text.utf8) }
            return nil
        }
        if out.keyID == [] { out.keyID = nil }
        if case .string(let participant)? = key?["participant"], !participant.isEmpty {
            out.participant = Array(participant.utf8)
        }
        return .success(out)
    }

    /// A whole number from a number, a string holding a JSON number, or a protobuf Long object.
    static func wholeNumber(_ value: Value, truncating: Bool) -> Int64? {
        switch value {
        case .integer(let integer): return integer
        case .double(let double): return whole(double, truncating: truncating)
        case .string(let text): return numberInString(text, truncating: truncating)
        case .object(let members):
            guard case .integer(let low)? = members["low"].flatMap(integral),
                case .integer(let high)? = members["high"].flatMap(integral),
                (-0x8000_0000...0xFFFF_FFFF).contains(low), (-0x8000_0000...0xFFFF_FFFF).contains(high)
            else { return nil }
            return Int64(
                truncatingIfNeeded: UInt64(UInt32(truncatingIfNeeded: high)) << 32
                    | UInt64(UInt32(truncatingIfNeeded: low)))
        default: return nil
        }
    }

    /// A Long's half: a number naming a whole value exactly.
    private static func integral(_ value: Value) -> Value? {
        switch value {
        case .integer: return value
        case .double(let double): return whole(double, truncating: false).map(Value.integer)
        default: return nil
        }
    }

    private static func whole(_ double: Double, truncating: Bool) -> Int64? {
        let value = truncating ? double.rounded(.towardZero) : double
        guard value == value.rounded(.towardZero), value.isFinite, value >= -9.2e18, value <= 9.2e18 else {
            return nil
        }
        return Int64(value)
    }

    /// A string whose whole text is a JSON number (`"18342"`, `"7.5"`, `"1e3"`).
    private static func numberInString(_ text: String, truncating: Bool) -> Int64? {
        guard text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil
        else { return nil }
        if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) { return Int64(text) }
        return Double(text).flatMap { whole($0, truncating: truncating) }
    }

    /// A 32-byte digest in base64, standard or URL-safe alphabet, padding optional.
    static func digest(_ text: String) -> ContentDigest? {
        var body = Substring(text)
        while body.hasSuffix("=") { body.removeLast() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
        guard body.allSatisfy({ alphabet.contains($0) }), body.count == 43 else { return nil }
        let standard = String(body.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }) + "="
        guard let data = Data(base64Encoded: standard), data.count == 32 else { return nil }
        return ContentDigest(bytes: Array(data))
    }
}
