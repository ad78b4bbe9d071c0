/// A client's name reduced so that the folder (`Elizeu_Batiliere_Dos_Santos`, accents maybe
/// stripped) and `core_cliente.nome` (`Elizeu Batilière dos Santos`) compare equal.
public struct ClientKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let folded: String

    public init(_ name: some StringProtocol) {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        var lastWasSeparator = true
        for scalar in name.unicodeScalars {
            let folded = ClientKey.fold(scalar)
            for character in folded {
                if character == " " || character == "_" || character == "-" || character == "." {
                    if !lastWasSeparator { out.append("_") }
                    lastWasSeparator = true
                } else {
                    out.append(character)
                    lastWasSeparator = false
                }
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        folded = out
    }

    public static func < (lhs: ClientKey, rhs: ClientKey) -> Bool { lhs.folded < rhs.folded }

    public var description: String { folded }

    // Latin letters with diacritics, as Portuguese and Spanish names use them, to their base
    // letter. The standard library has no Unicode decomposition without Foundation, and the
    // engine does not import Foundation.
    private static let accents: [Unicode.Scalar: String] = {
        let table: [(String, String)] = [
            ("àáâãäåā", "a"), ("ç", "c"), ("èéêëē", "e"), ("ìíîïī", "i"), ("ñ", "n"),
            ("òóôõöøō", "o"), ("ùúûüū", "u"), ("ýÿ", "y"), ("ß", "ss"),
        ]
        var map: [Unicode.Scalar: String] = [:]
        for (letters, base) in table {
            for scalar in letters.unicodeScalars { map[scalar] = base }
            for scalar in letters.uppercased().unicodeScalars where !scalar.isASCII && map[scalar] == nil {
                map[scalar] = base
            }
        }
        return map
    }()

    private static func fold(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII { return String(Character(scalar)).lowercased() }
        if let base = accents[scalar] { return base }
        // Combining marks (a decomposed accent) carry no letter of their own.
        if (0x0300...0x036F).contains(scalar.value) { return "" }
        return String(Character(scalar)).lowercased()
    }
}
