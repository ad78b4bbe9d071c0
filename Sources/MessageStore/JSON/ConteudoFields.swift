import MatchEngine

/// The values one `conteudo` gives an ``AudioMessage``; a field that is missing, `null` or unusable
/// is `nil`, and an unusable one is also named in ``invalidFields``.
struct ConteudoFields: Sendable, Equatable {
    var declaredSeconds: Int?
    var fileLength: Int64?
    var fileSHA256: ContentDigest?
    var mimetype: String?
    var localPath: String?
    var sentTime: Int64?
    var keyID: String?
    /// `key.participant`, the sender of a group message.
    var participant: String?
    var invalidFields = InvalidFields()

    /// Validates `buffer` as JSON and reads the fields. `wantsKeyID` is false when the row's
    /// `message_id` already gives the id, which saves decoding `key.id`.
    static func read(
        _ buffer: UnsafeBufferPointer<UInt8>,
        wantsKeyID: Bool = true,
        mimetypes: inout StringInterner
    ) throws(ConteudoProblem) -> ConteudoFields {
        let layout = try ConteudoLayout.locate(in: buffer)
        let cursor = JSONCursor(buffer)
        var fields = ConteudoFields()
        if let span = layout.seconds {
            fields.declaredSeconds = fields.check(
                .seconds, span, cursor.wholeNumber(span, truncatingFraction: true).map { Int(clamping: $0) },
                valid: { $0 >= 0 })
        }
        if let span = layout.fileLength {
            // Protobuf writes 0 for an unset length; a real voice note is never empty.
            fields.fileLength = fields.check(
                .fileLength, span, cursor.wholeNumber(span, truncatingFraction: false), valid: { $0 >= 0 })
            if fields.fileLength == 0 { fields.fileLength = nil }
        }
        if let span = layout.fileSha256, span.kind != .null {
            let digest = span.kind == .string ? cursor.base64Digest(span) : nil
            if digest == nil { fields.invalidFields.insert(.fileSha256) }
            fields.fileSHA256 = digest
        }
        if let span = layout.mimetype, span.kind != .null {
            if span.kind == .string {
                fields.mimetype = mimetypes.string(span, in: cursor)
            } else {
                fields.invalidFields.insert(.mimetype)
            }
        }
        if let span = layout.localPath, span.kind != .null {
            if span.kind == .string {
                let path = cursor.string(span)
                fields.localPath = path.isEmpty ? nil : path
            } else {
                fields.invalidFields.insert(.localPath)
            }
        }
        if let span = layout.messageTimestamp {
            fields.sentTime = fields.check(
                .messageTimestamp, span,
                cursor.wholeNumber(span, truncatingFraction: true).flatMap(ConteudoFields.unixSeconds),
                valid: { _ in true })
        }
        if wantsKeyID, let span = layout.keyID, span.kind != .null {
            if span.kind == .string {
                let id = cursor.string(span)
                fields.keyID = id.isEmpty ? nil : id
            } else {
                fields.invalidFields.insert(.keyID)
            }
        }
        if let span = layout.keyParticipant, span.kind == .string {
            let participant = cursor.string(span)
            fields.participant = participant.isEmpty ? nil : participant
        }
        return fields
    }

    /// Keeps `value` when present and valid; otherwise records the field as invalid (unless it was
    /// `null`, which is just missing).
    private mutating func check<T>(_ field: InvalidFields, _ span: JSONSpan, _ value: T?, valid: (T) -> Bool) -> T? {
        if let value, valid(value) { return value }
        if span.kind != .null { invalidFields.insert(field) }
        return nil
    }

    /// A timestamp in seconds, milliseconds or microseconds, as Unix seconds. Gateways disagree on the
    /// unit; the magnitude tells: seconds reach 10^11 only in the year 5138, milliseconds reach 10^14
    /// only in 5138 too. Zero and negative values are what an unset protobuf field looks like.
    static func unixSeconds(_ value: Int64) -> Int64? {
        guard value > 0 else { return nil }
        if value >= 100_000_000_000_000 { return value / 1_000_000 }
        if value >= 100_000_000_000 { return value / 1000 }
        return value
    }
}

/// The fields of `conteudo` that were present but could not be used (wrong type, bad value).
struct InvalidFields: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let seconds = InvalidFields(rawValue: 1 << 0)
    static let fileLength = InvalidFields(rawValue: 1 << 1)
    static let fileSha256 = InvalidFields(rawValue: 1 << 2)
    static let mimetype = InvalidFields(rawValue: 1 << 3)
    static let localPath = InvalidFields(rawValue: 1 << 4)
    static let messageTimestamp = InvalidFields(rawValue: 1 << 5)
    static let keyID = InvalidFields(rawValue: 1 << 6)

    /// Each field with the JSON path the report names it by.
    static let names: [(InvalidFields, String)] = [
        (.seconds, "audioMessage.seconds"),
        (.fileLength, "audioMessage.fileLength"),
        (.fileSha256, "audioMessage.fileSha256"),
        (.mimetype, "audioMessage.mimetype"),
        (.localPath, "audioMessage.localPath"),
        (.messageTimestamp, "messageTimestamp"),
        (.keyID, "key.id"),
    ]
}

/// Shares one `String` among the rows that carry the same short text (`audio/ogg; codecs=opus` is
/// longer than a small string, so each copy would be an allocation of its own).
struct StringInterner {
    private var strings: [String] = []
    private var utf8: [[UInt8]] = []

    mutating func string(_ span: JSONSpan, in cursor: JSONCursor) -> String {
        guard !span.hasEscapes else { return cursor.string(span) }
        let start = cursor.base + span.start + 1
        let count = span.end - span.start - 2
        for (index, known) in utf8.enumerated() where known.count == count {
            if known.withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 }) {
                return strings[index]
            }
        }
        let text = cursor.string(span)
        // A bounded table: a store with many distinct values just stops sharing.
        if strings.count < 16 {
            strings.append(text)
            utf8.append(Array(UnsafeBufferPointer(start: start, count: count)))
        }
        return text
    }

    private func memcmp(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
        for i in 0..<count where a[i] != b[i] { return 1 }
        return 0
    }
}

extension JSONCursor {
    /// Each byte's base64 value in either alphabet; 0xFE for `=`, 0xFF for anything else.
    static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        table[Int(UInt8(ascii: "="))] = 0xFE
        return table
    }()

    /// A whole number from a number, a decimal string, or a protobuf `Long` object
    /// (`{"low": …, "high": …, "unsigned": …}`).
    func wholeNumber(_ span: JSONSpan, truncatingFraction: Bool) -> Int64? {
        switch span.kind {
        case .number: integer(span, truncatingFraction: truncatingFraction)
        case .string: integerInString(span, truncatingFraction: truncatingFraction)
        case .object: longObject(span)
        default: nil
        }
    }

    /// `{"low": -1234, "high": 0}`: `low` is the lower 32 bits, signed or not depending on the writer.
    private func longObject(_ span: JSONSpan) -> Int64? {
        var cursor = self
        cursor.position = span.start
        var low: Int64?
        var high: Int64?
        do {
            if try cursor.beginObject(depth: 0) { return nil }
            repeat {
                let key = try cursor.readKey()
                let value = try cursor.readValue(depth: 1)
                if cursor.stringEquals(key, "low") {
                    low = value.kind == .number ? integer(value, truncatingFraction: false) : nil
                } else if cursor.stringEquals(key, "high") {
                    high = value.kind == .number ? integer(value, truncatingFraction: false) : nil
                }
            } while try !cursor.endMember()
        } catch {
            return nil
        }
        guard let low, let high, (-0x8000_0000...0xFFFF_FFFF).contains(low),
            (-0x8000_0000...0xFFFF_FFFF).contains(high)
        else { return nil }
        return Int64(
            truncatingIfNeeded: UInt64(UInt32(truncatingIfNeeded: high)) << 32
                | UInt64(UInt32(truncatingIfNeeded: low)))
    }

    /// A base64 string of exactly 32 bytes (standard or URL-safe alphabet, padding optional), read
    /// straight from the text without building a `String`.
    func base64Digest(_ span: JSONSpan) -> ContentDigest? {
        guard !span.hasEscapes else {
            return ContentDigest(base64: string(span))
        }
        return JSONCursor.base64Values.withUnsafeBufferPointer { table -> ContentDigest? in
            var bytes = [UInt8]()
            bytes.reserveCapacity(33)
            var accumulator: UInt32 = 0
            var bits = 0
            var i = span.start + 1
            let end = span.end - 1
            while i < end {
                let value = table[Int(base[i])]
                i += 1
                if value == 0xFF { return nil }
                if value == 0xFE {
                    // Padding only at the end.
                    while i < end {
                        guard base[i] == UInt8(ascii: "=") else { return nil }
                        i += 1
                    }
                    break
                }
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    guard bytes.count <= 32 else { return nil }
                }
            }
            return ContentDigest(bytes: bytes)
        }
    }
}
