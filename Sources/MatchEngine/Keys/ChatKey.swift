/// A chat's identity reduced so that the spellings of one chat compare equal.
///
/// The folder is the chat id's digits; the database may add a JID suffix (`@s.whatsapp.net`,
/// `@c.us`, `@g.us`), punctuation, write a Brazilian number in its national form without the
/// country code (`(69) 99926-7344`), or have the Brazilian mobile ninth digit where the folder
/// lacks it (or the reverse). ``identity(of:)`` puts the country code back; ``canonical`` drops the
/// ninth digit of 13-digit `55` numbers, so every form of one number meets in one key.
public struct ChatKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The digits with the Brazilian ninth digit removed.
    public let canonical: String

    public init(_ chatID: some StringProtocol) {
        canonical = ChatKey.withoutNinthDigit(ChatKey.identity(of: chatID))
    }

    /// A key from digits already reduced (``ChatKeys/canonical``, ``FolderKeys/canonical``).
    public init(canonical: String) {
        self.canonical = canonical
    }

    /// Only the ASCII digits of `text` (`+55 (69) 9926-7344` → `556999267344`); a JID's suffix is
    /// dropped first so a domain with digits cannot leak in.
    public static func digits(of text: some StringProtocol) -> String {
        let user = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(decoding: user.utf8.filter { $0 >= 48 && $0 <= 57 }, as: UTF8.self)
    }

    /// What identifies the chat: its digits (a Brazilian number in national form with its country
    /// code put back, ``withCountryCode(_:)``), or, for an id without any (`familia@g.us`), the
    /// whole id trimmed and lower-cased, so that two such chats never meet in an empty key. The
    /// whole id holds an `@` or a letter, so it can never equal a run of digits.
    public static func identity(of text: some StringProtocol) -> String {
        let digits = digits(of: text)
        guard digits.isEmpty else { return withCountryCode(digits) }
        let trimmed = text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        let whole = String(trimmed).lowercased()
        // Nothing at all stays empty: an empty folder is no chat's.
        return whole.isEmpty ? "" : "~" + whole
    }

    /// `DD 9NNNN NNNN` or `DD NNNN NNNN` → `55 DD …`: a Brazilian number as a person writes it
    /// (`(79) 96514-6325`), which a CRM may store while the downloader names the folder by the JID
    /// (`5579965146325`). Only an area code Anatel assigns, followed by a mobile's `9` and eight
    /// digits or by eight digits starting 2–9, is read so; other numbers are unchanged. A number of
    /// another country read so by chance (North American ones cannot be: `1` and an area code
    /// `N9X` that is reserved) is completed alike in the folder and the row, so it still meets
    /// itself.
    public static func withCountryCode(_ digits: String) -> String {
        let bytes = digits.utf8
        guard bytes.count == 10 || bytes.count == 11 else { return digits }
        var iterator = bytes.makeIterator()
        guard let first = iterator.next(), let second = iterator.next(), let subscriber = iterator.next() else {
            return digits
        }
        let areaCode = Int(first &- 48) * 10 + Int(second &- 48)
        guard brazilianAreaCodes.contains(areaCode) else { return digits }
        if bytes.count == 11 ? subscriber != UInt8(ascii: "9") : subscriber < UInt8(ascii: "2") { return digits }
        return "55" + digits
    }

    /// The area codes (DDD) Anatel assigns.
    static let brazilianAreaCodes: Set<Int> = [
        11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46,
        47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85,
        86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
    ]

    /// `55 DD 9 NNNN NNNN` → `55 DD NNNN NNNN`; other numbers unchanged.
    public static func withoutNinthDigit(_ digits: String) -> String {
        let bytes = Array(digits.utf8)
        guard bytes.count == 13, bytes[0] == 53, bytes[1] == 53, bytes[4] == 57 else { return digits }
        var shorter = bytes
        shorter.remove(at: 4)
        return String(decoding: shorter, as: UTF8.self)
    }

    /// Whether the JID names a group (`…@g.us`) or an old-style group id (`<creator>-<time>`: a
    /// number, a hyphen and a Unix time, digits only). A hyphen alone does not make a group: a
    /// number written as a person writes it (`+55 (69) 9926-7344`) has one too.
    public static func isGroup(_ chatID: some StringProtocol) -> Bool {
        if chatID.hasSuffix("@g.us") { return true }
        let user = Array(chatID.utf8.prefix { $0 != UInt8(ascii: "@") })
        let parts = user.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count >= 8 && parts[1].count >= 9
            && parts.allSatisfy { $0.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }

    public static func < (lhs: ChatKey, rhs: ChatKey) -> Bool { lhs.canonical < rhs.canonical }

    public var description: String { canonical }
}
