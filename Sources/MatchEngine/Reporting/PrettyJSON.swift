/// A value that writes its own pretty JSON: the very bytes `JSONEncoder` writes for it with the
/// reports' settings (`ReportJSON.encoder()`: indented, keys in snake_case and sorted, slashes
/// unescaped, infinities as strings), without the encoder's boxes, key conversion and dynamic
/// casts.
///
/// Only the values a large plan is made of write themselves: a million-row `sync --json` is 2 GB,
/// nearly all of it links and their waterfalls, and the encoder spent 44 s on it where the plan
/// took 11 s. Each conformance names its keys in the order the encoder sorts them, and
/// `PrettyJSONTests` holds them to the encoder's bytes.
public protocol PrettyJSONWritable {
    /// Writes the value as a document of its own (depth 0).
    func writePrettyJSON(to writer: inout PrettyJSONWriter)
}

extension PrettyJSONWritable {
    /// The value as a document of its own.
    public var prettyJSON: [UInt8] {
        var writer = PrettyJSONWriter()
        writePrettyJSON(to: &writer)
        return writer.bytes
    }
}

/// Writes pretty JSON as `JSONEncoder` lays it out: two spaces an indent, `"key" : value`, and an
/// empty array or object as its brackets around an empty line.
public struct PrettyJSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var depth = 0
    /// Whether the open container has no member yet.
    private var empty = false

    public init() {
        bytes.reserveCapacity(4_096)
    }

    public mutating func object(_ members: (inout PrettyJSONWriter) -> Void) {
        container(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), members)
    }

    public mutating func array<Element>(_ elements: [Element], _ write: (Element, inout PrettyJSONWriter) -> Void) {
        container(open: UInt8(ascii: "["), close: UInt8(ascii: "]")) { writer in
            for element in elements {
                writer.nextMember()
                write(element, &writer)
            }
        }
    }

    /// A member's key (already in snake_case), after which one value must be written.
    public mutating func key(_ name: StaticString) {
        nextMember()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Most strings need no escape: copied whole.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
            } else {
                for byte in utf8 { escape(byte) }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// The encoder's escapes: `\"`, `\\`, the short forms of five controls, `\u00xx` for the rest.
    private mutating func escape(_ byte: UInt8) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), backslash: bytes.append(contentsOf: [backslash, byte])
        case 0x08: bytes.append(contentsOf: [backslash, UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [backslash, UInt8(ascii: "f")])
        case 0x0A: bytes.append(contentsOf: [backslash, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [backslash, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [backslash, UInt8(ascii: "t")])
        case ..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [
                backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                hex[Int(byte & 0xF)],
            ])
        default: bytes.append(byte)
        }
    }

    public mutating func integer(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// The shortest decimal that reads back as the value, without a trailing `.0`; the non-finite
    /// ones as the strings the reports' encoder writes.
    public mutating func number(_ value: Double) {
        guard value.isFinite else {
            string(value.isNaN ? "nan" : value < 0 ? "-inf" : "inf")
            return
        }
        let text = value.description.utf8
        if text.count > 2, text.suffix(2).elementsEqual(".0".utf8) {
            bytes.append(contentsOf: text.dropLast(2))
        } else {
            bytes.append(contentsOf: text)
        }
    }

    public mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    public mutating func value(_ value: some PrettyJSONWritable) {
        value.writePrettyJSON(to: &self)
    }

    private mutating func container(open: UInt8, close: UInt8, _ members: (inout PrettyJSONWriter) -> Void) {
        bytes.append(open)
        depth += 1
        let outer = empty
        empty = true
        members(&self)
        depth -= 1
        // The encoder leaves an empty line between the brackets of an empty container.
        bytes.append(UInt8(ascii: "\n"))
        if empty { bytes.append(UInt8(ascii: "\n")) }
        indent()
        bytes.append(close)
        empty = outer
    }

    private mutating func nextMember() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
        empty = false
        indent()
    }

    private mutating func indent() {
        let count = depth * 2
        if count <= Self.spaces.count {
            bytes.append(contentsOf: Self.spaces[..<count])
        } else {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
        }
    }

    /// Copied a slice at a time: appending a repeated element is a loop of single bytes.
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)
}
