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
        let stem = Substring(name).prefix { $0 != "." }
        if stem.hasPrefix("msg_") {
            let parts = stem.dropFirst(4).split(separator: "_", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count >= 3, parts[0].utf8.count == 8, parts[0].utf8.allSatisfy(isAlphanumeric),
                isDigits(parts[1], 8), isDigits(parts[2], 6), isTimeSuffix(parts.count > 3 ? parts[3] : "")
            else { return FileName() }
            return FileName(
                token: parts[0].uppercased(), tokenKind: .hash8, time: LocalTime(compactDate: parts[1], time: parts[2]))
        }
        if stem.hasPrefix("wapi_") {
            // The id runs up to `_<YYYYMMDD>_<HHMMSS>`; ids themselves have no underscore.
            let parts = stem.dropFirst(5).split(separator: "_", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count >= 3, !parts[0].isEmpty, parts[0].utf8.allSatisfy(isAlphanumeric),
                isDigits(parts[1], 8), isDigits(parts[2], 6), isTimeSuffix(parts.count > 3 ? parts[3] : "")
            else { return FileName() }
            return FileName(
                token: String(parts[0]), tokenKind: .fullID, time: LocalTime(compactDate: parts[1], time: parts[2]))
        }
        return FileName()
    }

    /// What may follow `_<HHMMSS>`: nothing, or a tag that does not start with a digit (`_1`
    /// would make the time ambiguous, so it is refused).
    private static func isTimeSuffix(_ rest: Substring) -> Bool {
        rest.isEmpty || !(rest.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? false)
    }

    private static func isDigits(_ text: Substring, _ count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
