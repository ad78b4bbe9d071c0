public import MatchEngine

/// Reads what a media file's name says: the message token and the downloader's wall-clock time.
///
/// - `msg_<HASH8>_<YYYYMMDD>_<HHMMSS>.<ext>`: an 8-character token (upper-cased), ``FileName/TokenKind/hash8``.
/// - `wapi_<FULLID>_<YYYYMMDD>_<HHMMSS>.<ext>`: the whole WhatsApp id as written, ``FileName/TokenKind/fullID``.
/// - anything else: no token, no time.
///
/// A time that is not a calendar time (month 13) leaves the time `nil` and keeps the token.
///
/// ```swift
/// FileNameParser.parse("msg_81585468_20250811_110317.ogg")
/// // token "81585468", .hash8, 2025-08-11T11:03:17
/// ```
public enum FileNameParser {
    public static func parse(_ name: String) -> FileName {
        // Bytes, not Characters: the patterns are ASCII, and this runs once per file of a store.
        var utf8 = name.utf8.makeIterator()
        var stem: [UInt8] = []
        stem.reserveCapacity(48)
        while let byte = utf8.next(), byte != 46 { stem.append(byte) }
        if stem.starts(with: "msg_".utf8) {
            // msg_ + 8 alphanumerics + _YYYYMMDD_HHMMSS
            guard stem.count >= 28, stem[4..<12].allSatisfy(isAlphanumeric), stem[12] == 95,
                let time = time(stem, at: 13)
            else { return FileName() }
            let token = String(decoding: stem[4..<12].map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
            return FileName(token: token, tokenKind: .hash8, time: time.value)
        }
        if stem.starts(with: "wapi_".utf8) {
            // wapi_ + the id (alphanumerics; ids have no underscore) + _YYYYMMDD_HHMMSS
            guard let underscore = stem[5...].firstIndex(of: 95), underscore > 5,
                stem[5..<underscore].allSatisfy(isAlphanumeric), let time = time(stem, at: underscore + 1)
            else { return FileName() }
            return FileName(
                token: String(decoding: stem[5..<underscore], as: UTF8.self), tokenKind: .fullID, time: time.value)
        }
        return FileName()
    }

    /// `YYYYMMDD_HHMMSS` at `start`, then the end or `_` and a tag that does not start with a
    /// digit (`_1` would make the time ambiguous). The outer `nil` means no match; the inner one a
    /// match that is no calendar time (month 13), which keeps the token.
    private static func time(_ stem: [UInt8], at start: Int) -> TimeMatch? {
        guard stem.count >= start + 15, stem[start + 8] == 95,
            stem[start..<start + 8].allSatisfy(isDigit), stem[start + 9..<start + 15].allSatisfy(isDigit)
        else { return nil }
        let end = start + 15
        if end < stem.count {
            guard stem[end] == 95, end + 1 == stem.count || !isDigit(stem[end + 1]) else { return nil }
        }
        func number(_ from: Int, _ count: Int) -> Int {
            stem[from..<from + count].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        let value = LocalTime(
            year: number(start, 4), month: number(start + 4, 2), day: number(start + 6, 2),
            hour: number(start + 9, 2), minute: number(start + 11, 2), second: number(start + 13, 2))
        return TimeMatch(value: value)
    }

    /// A name time that matched the pattern; `value` is `nil` when it is no calendar time.
    private struct TimeMatch {
        var value: LocalTime?
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
