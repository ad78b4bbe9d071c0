/// Reading the values that ``JSONCursor`` found. Every function here assumes its span was produced by
/// the cursor over the same buffer, so the text is already known to be well-formed.
extension JSONCursor {
    /// Whether a key or string equals `name` after unescaping (`"\u0061udioMessage"` is `audioMessage`).
    @inline(__always)
    func stringEquals(_ span: JSONSpan, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        let letters = name.utf8Start
        if !span.hasEscapes {
            guard span.end - span.start - 2 == length else { return false }
            for i in 0..<length where base[span.start + 1 + i] != letters[i] { return false }
            return true
        }
        let decoded = unescapedBytes(span)
        guard decoded.count == length else { return false }
        for i in 0..<length where decoded[i] != letters[i] { return false }
        return true
    }

    /// The string's text with escapes resolved.
    func string(_ span: JSONSpan) -> String {
        if !span.hasEscapes {
            return String(
                decoding: UnsafeBufferPointer(start: base + span.start + 1, count: span.end - span.start - 2),
                as: UTF8.self)
        }
        return String(decoding: unescapedBytes(span), as: UTF8.self)
    }

    /// The string's UTF-8 bytes with escapes resolved; a lone surrogate escape becomes U+FFFD, as most
    /// JSON readers do.
    func unescapedBytes(_ span: JSONSpan) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(span.end - span.start)
        var i = span.start + 1
        let end = span.end - 1
        while i < end {
            let c = base[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    if i + 6 <= end, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") {
                        let low = hex4(at: i + 2)
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                JSONCursor.appendUTF8(scalar, to: &out)
            default: out.append(e)  // '"', '\\' and '/' stand for themselves
            }
        }
        return out
    }

    private func hex4(at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (JSONCursor.hexValue(base[index + k]) ?? 0) }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// A number span as a whole number. A fraction is truncated towards zero only when
    /// `truncatingFraction` (a duration of `7.9` seconds says 7); otherwise it makes the value unusable.
    func integer(_ span: JSONSpan, truncatingFraction: Bool) -> Int64? {
        if span.isInteger {
            return JSONCursor.parseInteger(base + span.start, count: span.end - span.start)
        }
        guard truncatingFraction else {
            // `18342.0` or `1.8342e4` still name a whole number.
            guard let value = double(span), value == value.rounded(.towardZero) else { return nil }
            return JSONCursor.exactInt64(value)
        }
        guard let value = double(span) else { return nil }
        return JSONCursor.exactInt64(value.rounded(.towardZero))
    }

    private func double(_ span: JSONSpan) -> Double? {
        Double(
            String(
                decoding: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start),
                as: UTF8.self))
    }

    private static func exactInt64(_ value: Double) -> Int64? {
        guard value.isFinite, value >= -9.2e18, value <= 9.2e18 else { return nil }
        return Int64(value)
    }

    /// A string span holding a decimal integer (`"18342"`), as gateways write 64-bit values. Leading
    /// and trailing spaces are not allowed; a fraction is allowed only when `truncatingFraction`.
    func integerInString(_ span: JSONSpan, truncatingFraction: Bool) -> Int64? {
        // Escaped (`"\u0031\u0038"` is "18"): read what the string says, with the same grammar.
        guard !span.hasEscapes else {
            let bytes = Array(string(span).utf8)
            return bytes.withUnsafeBufferPointer { buffer in
                guard let first = buffer.first, JSONCursor.isDigit(first) || first == UInt8(ascii: "-") else {
                    return nil
                }
                var inner = JSONCursor(buffer)
                guard let number = try? inner.readValue(depth: 0), inner.atEnd, number.kind == .number else {
                    return nil
                }
                return inner.integer(number, truncatingFraction: truncatingFraction)
            }
        }
        let start = span.start + 1
        let length = span.end - span.start - 2
        guard length > 0 else { return nil }
        // Re-read the content with the number grammar so that `"7.5"` and `"1e3"` follow the same rules.
        var inner = JSONCursor(UnsafeBufferPointer(start: base + start, count: length))
        guard JSONCursor.isDigit(base[start]) || base[start] == UInt8(ascii: "-"),
            let number = try? inner.readValue(depth: 0), inner.atEnd, number.kind == .number
        else { return nil }
        return inner.integer(number, truncatingFraction: truncatingFraction)
    }

    /// Parses `-?[0-9]+` without overflow; `nil` when it does not fit in 64 bits.
    static func parseInteger(_ pointer: UnsafePointer<UInt8>, count: Int) -> Int64? {
        var i = 0
        var negative = false
        if count > 0, pointer[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < count else { return nil }
        var value: Int64 = 0
        while i < count {
            let d = pointer[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = s
            i += 1
        }
        return negative ? -value : value
    }
}
