import MatchEngine

/// Reading `core_mensagem.data_envio` as SQLite stores it: UTC text, `YYYY-MM-DD HH:MM:SS[.ffffff]`.
///
/// Django writes exactly that form; a `T` instead of the space, a trailing `Z` or a numeric offset
/// (`+00:00`, `-0300`, `+03`) are accepted too, since other writers of the same table use them. Any
/// other text is refused (the row is then counted as `bad_data_envio`) rather than guessed at.
package enum DataEnvio {
    /// Unix seconds (fractions dropped), or `nil` when the text is not such a timestamp.
    static func unixSeconds(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = text.count
        guard n >= 19 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for i in at..<at + count {
                let d = text[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "T"),
            text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            let wall = LocalTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        var i = 19
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n, JSONCursor.isDigit(text[i]) { i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < n {
            switch text[i] {
            case UInt8(ascii: "Z"):
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = text[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard i + 2 <= n, let hours = digits(i, 2), hours <= 23 else { return nil }
                i += 2
                var minutes = 0
                if i < n, text[i] == UInt8(ascii: ":") { i += 1 }
                if i + 2 <= n {
                    guard let m = digits(i, 2), m <= 59 else { return nil }
                    minutes = m
                    i += 2
                }
                offset = sign * (hours * 3600 + minutes * 60)
            default:
                return nil
            }
        }
        guard i == n else { return nil }
        // The wall-clock reading minus the offset east of UTC is UTC.
        return wall.secondsSinceEpoch - Int64(offset)
    }

    /// The same, for a `String`.
    static func unixSeconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { unixSeconds($0) }
    }

    /// The Django form of a Unix time, `YYYY-MM-DD HH:MM:SS` (UTC), with `.ffffff` when
    /// `microseconds` is given.
    package static func text(unixSeconds: Int64, microseconds: Int? = nil) -> String {
        let f = LocalTime(secondsSinceEpoch: unixSeconds).fields
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var text =
            "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2)) \(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2))"
        if let microseconds { text += "." + pad(microseconds, 6) }
        return text
    }
}
