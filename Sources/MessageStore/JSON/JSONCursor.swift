/// Why a text is not well-formed JSON, and where.
struct JSONSyntaxError: Error, Sendable, Equatable {
    /// The byte offset of the first byte that cannot be read.
    var offset: Int
    var problem: String
}

/// What kind of value a ``JSONSpan`` covers.
enum JSONKind: Sendable, Equatable {
    case object, array, string, number, `true`, `false`, null
}

/// Where one value sits in the text: `start..<end` covers it whole, quotes and brackets included.
struct JSONSpan: Sendable, Equatable {
    var kind: JSONKind
    var start: Int
    var end: Int
    /// For strings and keys: whether the content holds a backslash escape.
    var hasEscapes = false
    /// For numbers: whether there is a fraction or an exponent.
    var isInteger = true
}

/// A strict RFC 8259 reader over UTF-8 bytes that validates as it moves and does not allocate.
///
/// It is the one JSON reader of this module: the loader reads the few fields it needs with it, and the
/// editor finds the byte ranges it rewrites with it. Strict means: one value, optionally surrounded by
/// white space; no trailing commas, comments, single quotes, `NaN`, leading zeros, raw control
/// characters in strings or invalid UTF-8. Nesting deeper than ``maximumDepth`` is refused rather than
/// risk the stack. Callers keep the buffer alive while the cursor is in use.
struct JSONCursor {
    static let maximumDepth = 256

    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no base address; any valid pointer will do, it is never read.
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = buffer.count
    }

    @inline(__always)
    func byte(at index: Int) -> UInt8 {
        base[index]
    }

    @inline(__always)
    var atEnd: Bool { position >= count }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            switch base[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func fail(_ problem: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, problem: problem)
    }

    /// Reads a whole document: one value and nothing but white space around it.
    mutating func readDocument() throws(JSONSyntaxError) -> JSONSpan {
        skipWhitespace()
        let span = try readValue(depth: 0)
        skipWhitespace()
        guard atEnd else { throw fail("unexpected text after the value") }
        return span
    }

    /// Reads any value at the cursor (white space already skipped) and returns its span.
    mutating func readValue(depth: Int) throws(JSONSyntaxError) -> JSONSpan {
        guard position < count else { throw fail("unexpected end of text") }
        switch base[position] {
        case UInt8(ascii: "{"):
            let start = position
            try skipObject(depth: depth)
            return JSONSpan(kind: .object, start: start, end: position)
        case UInt8(ascii: "["):
            let start = position
            try skipArray(depth: depth)
            return JSONSpan(kind: .array, start: start, end: position)
        case UInt8(ascii: "\""):
            return try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        case UInt8(ascii: "t"):
            return try readLiteral("true", kind: .true)
        case UInt8(ascii: "f"):
            return try readLiteral("false", kind: .false)
        case UInt8(ascii: "n"):
            return try readLiteral("null", kind: .null)
        default:
            throw fail("unexpected character")
        }
    }

    private mutating func readLiteral(_ word: StaticString, kind: JSONKind) throws(JSONSyntaxError) -> JSONSpan {
        let length = word.utf8CodeUnitCount
        guard position + length <= count else { throw fail("unexpected end of text") }
        let letters = word.utf8Start
        for i in 0..<length where base[position + i] != letters[i] {
            throw fail("unexpected character", at: position + i)
        }
        let start = position
        position += length
        return JSONSpan(kind: kind, start: start, end: position)
    }

    // MARK: Objects and arrays

    /// Consumes `{` and the white space after it; returns `true` when the object is empty (and
    /// consumes its `}` too).
    mutating func beginObject(depth: Int) throws(JSONSyntaxError) -> Bool {
        guard depth < JSONCursor.maximumDepth else { throw fail("nested too deeply") }
        guard position < count, base[position] == UInt8(ascii: "{") else { throw fail("expected an object") }
        position += 1
        skipWhitespace()
        if position < count, base[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        return false
    }

    /// Reads a member's key and the `:` after it, leaving the cursor at the value.
    mutating func readKey() throws(JSONSyntaxError) -> JSONSpan {
        guard position < count, base[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let key = try readString()
        skipWhitespace()
        guard position < count, base[position] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        position += 1
        skipWhitespace()
        return key
    }

    /// After a member's value: consumes `,` (returns `false`: another member follows) or `}` (returns
    /// `true`: the object is done).
    mutating func endMember() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard position < count else { throw fail("unexpected end of text") }
        switch base[position] {
        case UInt8(ascii: ","):
            position += 1
            skipWhitespace()
            return false
        case UInt8(ascii: "}"):
            position += 1
            return true
        default:
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONSyntaxError) {
        if try beginObject(depth: depth) { return }
        repeat {
            _ = try readKey()
            _ = try readValue(depth: depth + 1)
        } while try !endMember()
    }

    private mutating func skipArray(depth: Int) throws(JSONSyntaxError) {
        guard depth < JSONCursor.maximumDepth else { throw fail("nested too deeply") }
        position += 1
        skipWhitespace()
        if position < count, base[position] == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            _ = try readValue(depth: depth + 1)
            skipWhitespace()
            guard position < count else { throw fail("unexpected end of text") }
            if base[position] == UInt8(ascii: "]") {
                position += 1
                return
            }
            guard base[position] == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
            position += 1
            skipWhitespace()
        }
    }

    // MARK: Strings

    /// Reads a string (the cursor is at its opening quote), checking escapes and UTF-8.
    mutating func readString() throws(JSONSyntaxError) -> JSONSpan {
        let start = position
        position += 1
        var hasEscapes = false
        while position < count {
            // Eight plain bytes at a time (no quote, backslash, control or non-ASCII byte): most of a
            // conteudo is long URLs and base64 keys, and this loop is the loader's hottest.
            while position + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                guard !JSONCursor.hasSpecialByte(word) else { break }
                position += 8
            }
            guard position < count else { break }
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return JSONSpan(kind: .string, start: start, end: position, hasEscapes: hasEscapes)
            } else if c == UInt8(ascii: "\\") {
                hasEscapes = true
                try skipEscape()
            } else if c < 0x20 {
                throw fail("control character in a string")
            } else if c < 0x80 {
                position += 1
            } else {
                try skipMultibyte()
            }
        }
        throw fail("unterminated string", at: start)
    }

    private mutating func skipEscape() throws(JSONSyntaxError) {
        guard position + 1 < count else { throw fail("unterminated escape") }
        switch base[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            guard position + 6 <= count else { throw fail("unterminated \\u escape") }
            for i in 2..<6 where JSONCursor.hexValue(base[position + i]) == nil {
                throw fail("bad \\u escape", at: position + i)
            }
            position += 6
        default:
            throw fail("unknown escape")
        }
    }

    /// Checks one multi-byte UTF-8 sequence (no overlong forms, no surrogates, at most U+10FFFF).
    private mutating func skipMultibyte() throws(JSONSyntaxError) {
        let lead = base[position]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: throw fail("invalid UTF-8")
        }
        guard position + length <= count else { throw fail("invalid UTF-8") }
        let second = base[position + 1]
        guard second >= lower, second <= upper else { throw fail("invalid UTF-8") }
        for i in 2..<length where base[position + i] & 0xC0 != 0x80 {
            throw fail("invalid UTF-8")
        }
        position += length
    }

    /// Whether any byte of `word` is `"`, `\`, below 0x20 or above 0x7F (the classic SWAR tests).
    @inline(__always)
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let below20 = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | below20 | word) & highs != 0
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Numbers

    private mutating func readNumber() throws(JSONSyntaxError) -> JSONSpan {
        let start = position
        var isInteger = true
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < count, JSONCursor.isDigit(base[position]) else { throw fail("expected a digit") }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < count, JSONCursor.isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < count, JSONCursor.isDigit(base[position]) else { throw fail("expected a digit") }
            while position < count, JSONCursor.isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < count, JSONCursor.isDigit(base[position]) else { throw fail("expected a digit") }
            while position < count, JSONCursor.isDigit(base[position]) { position += 1 }
        }
        return JSONSpan(kind: .number, start: start, end: position, isInteger: isInteger)
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
    }
}
