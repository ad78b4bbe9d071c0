import Foundation

/// A database location as every report, message and log shows it: a SQLite path as it is, a
/// URL without its password (`postgres://crm:***@db/crm`).
///
/// The one place audiosync's reports turn a database location into text for people (`config
/// show`, `runs`, `clients`, the reports' `database`); the redaction of the issue on secrets is to
/// be called from here. Works on the text, not a parsed URL, so a malformed URL is redacted too.
public func displayDatabaseLocation(_ location: String) -> String {
    guard let scheme = location.range(of: "://") else { return location }
    var text = location
    let rest = text[scheme.upperBound...]
    let authorityEnd = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
    if let at = rest[..<authorityEnd].lastIndex(of: "@"),
        let colon = rest[..<at].firstIndex(of: ":")
    {
        text.replaceSubrange(text.index(after: colon)..<at, with: "***")
    }
    if let query = text.firstIndex(of: "?") {
        let items = text[text.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map {
            item -> String in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return parts.count == 2 && parts[0].lowercased() == "password" ? "\(parts[0])=***" : String(item)
        }
        text = String(text[...query]) + items.joined(separator: "&")
    }
    return text
}
