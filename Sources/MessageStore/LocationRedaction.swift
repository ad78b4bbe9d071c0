/// A database location as it may be shown: in text, JSON, logs, errors, profiles and the journal.
///
/// The one redaction for every place a location is shown. It works on the text as given, before
/// any parsing, so that a location that cannot be parsed (a bad port, a broken IPv6 host, a
/// mistyped scheme, one slash short, libpq's keyword form) is redacted as surely as a good URL:
///
/// - a password in a URL's user part (`scheme:[//]user:password@…`, whatever `/` or `@` the
///   password holds) becomes `***`;
/// - a `password=` parameter (`?password=…`, `&password=…`, libpq's `password=… host=…`, quoted
///   or not) becomes `password=***`.
///
/// A plain file path comes back unchanged.
public func redactedDatabaseLocation(_ location: String) -> String {
    redactingPasswordParameters(redactingUserInfoPassword(Substring(location)))
}

private func redactingUserInfoPassword(_ text: Substring) -> String {
    guard let colon = text.firstIndex(of: ":") else { return String(text) }
    let scheme = text[..<colon]
    guard let first = scheme.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
        scheme.unicodeScalars.allSatisfy({
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
        })
    else { return String(text) }
    let rest = text[text.index(after: colon)...]
    let authorityStart = rest.firstIndex { $0 != "/" } ?? rest.endIndex
    // The user part ends at the last `@` before any query or fragment: a password may hold `/`
    // or `@` unencoded, and whatever is before that `@` is not shown.
    let segmentEnd = rest[authorityStart...].firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
    guard let at = rest[authorityStart..<segmentEnd].lastIndex(of: "@") else { return String(text) }
    let userInfo = rest[authorityStart..<at]
    guard let separator = userInfo.firstIndex(of: ":") else { return String(text) }
    return String(text[..<separator]) + ":***" + String(text[at...])
}

private func redactingPasswordParameters(_ text: String) -> String {
    let key = Array("password=".utf8)
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
        let before = index == 0 ? nil : bytes[index - 1]
        let atBoundary =
            before == nil || [UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: ";"), 32, 9].contains(before!)
        if atBoundary, index + key.count <= bytes.count,
            zip(bytes[index..<index + key.count], key).allSatisfy({ lowercased($0) == $1 })
        {
            out += bytes[index..<index + key.count] + Array("***".utf8)
            index += key.count
            if index < bytes.count, bytes[index] == UInt8(ascii: "'") {
                // libpq's quoted value: up to the closing quote, `\'` and `\\` escaped.
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "'") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
            } else {
                while index < bytes.count,
                    ![UInt8(ascii: "&"), UInt8(ascii: "#"), UInt8(ascii: ";"), 32, 9].contains(bytes[index])
                {
                    index += 1
                }
            }
            continue
        }
        out.append(bytes[index])
        index += 1
    }
    return String(decoding: out, as: UTF8.self)
}

private func lowercased(_ byte: UInt8) -> UInt8 {
    (65...90).contains(byte) ? byte + 32 : byte
}
