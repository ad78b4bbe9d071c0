/// A chat's identity reduced so that the spellings of one chat compare equal.
///
/// The folder is the chat id's digits; the database may add a JID suffix (`@s.whatsapp.net`,
/// `@c.us`, `@g.us`), punctuation, or have the Brazilian mobile ninth digit where the folder lacks
/// it (or the reverse). ``canonical`` drops the ninth digit of 13-digit `55` numbers, so both forms
/// of one number meet in one key.
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

    /// What identifies the chat: its digits, or, for an id without any (`familia@g.us`), the whole
    /// id trimmed and lower-cased, so that two such chats never meet in an empty key. The whole id
    /// holds an `@` or a letter, so it can never equal a run of digits.
    public static func identity(of text: some StringProtocol) -> String {
        let digits = digits(of: text)
        guard digits.isEmpty else { return digits }
        let trimmed = text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        let whole = String(trimmed).lowercased()
        // Nothing at all stays empty: an empty folder is no chat's.
        return whole.isEmpty ? "" : "~" + whole
    }

    /// `55 DD 9 NNNN NNNN` → `55 DD NNNN NNNN`; other numbers unchanged.
    public static func withoutNinthDigit(_ digits: String) -> String {
        let bytes = Array(digits.utf8)
        guard bytes.count == 13, bytes[0] == 53, bytes[1] == 53, bytes[4] == 57 else { return digits }
        var shorter = bytes
        shorter.remove(at: 4)
        return String(decoding: shorter, as: UTF8.self)
    }

    /// Whether the JID names a group (`…@g.us`) or an old-style group id (`<creator>-<time>`).
    public static func isGroup(_ chatID: some StringProtocol) -> Bool {
        chatID.hasSuffix("@g.us") || chatID.split(separator: "@").first?.contains("-") == true
    }

    public static func < (lhs: ChatKey, rhs: ChatKey) -> Bool { lhs.canonical < rhs.canonical }

    public var description: String { canonical }
}
