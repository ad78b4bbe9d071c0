public import Foundation
import MatchEngine
public import MediaStore

/// `scan --json`: the files and the summary as one document (`--format jsonl` streams the same
/// records a line each, for stores too large to hold in one document).
public struct ScanReport: Sendable, Encodable {
    public var schemaVersion = 1
    public var mediaRoot: String
    public var files: [ScanResult.FileLine]
    public var summary: ScanResult.SummaryLine

    public init(mediaRoot: String, scan: ScanResult) {
        self.init(mediaRoot: mediaRoot, files: Array(scan.fileLines), summary: scan.summaryLine)
    }

    init(mediaRoot: String, files: [ScanResult.FileLine], summary: ScanResult.SummaryLine) {
        self.mediaRoot = mediaRoot
        self.files = files
        self.summary = summary
    }

    /// The document exactly as ``ReportJSON``'s pretty encoder writes it, the files written by hand
    /// on every core: JSONEncoder took three quarters of a `scan --json` of 18,000 files. The rest
    /// of the document (root, version, summary) is the encoder's own.
    public func prettyJSON() throws -> Data {
        guard !files.isEmpty else { return try ReportJSON.encoder().encode(self) }
        struct Rest: Encodable {
            var schemaVersion: Int
            var mediaRoot: String
            var summary: ScanResult.SummaryLine
        }
        let rest = try ReportJSON.encoder().encode(
            Rest(schemaVersion: schemaVersion, mediaRoot: mediaRoot, summary: summary))
        let files = files
        let parts: [[UInt8]] = parallelMap(count: files.count, minimumChunk: 2_048) { range in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count * 640)
            for index in range {
                if index > 0 { bytes += ",\n".utf8 }
                FileLineJSON.append(files[index], to: &bytes)
            }
            return [bytes]
        }
        var document = Data("{\n  \"files\" : [\n".utf8)
        for part in parts { document.append(contentsOf: part) }
        document.append(contentsOf: "\n  ],\n".utf8)
        // The encoder's document without its opening "{\n": the keys after "files", in order.
        document.append(rest.dropFirst(2))
        return document
    }
}

/// One ``MediaStore/ScanResult/FileLine`` as an element of the files array of ``ScanReport``'s
/// pretty document: keys sorted, four spaces in, strings and numbers as JSONEncoder writes them
/// (slashes unescaped, control characters as `\n` or `\u001b`, a whole number without `.0`).
/// `ScanReportTests` compares it with the encoder byte for byte.
enum FileLineJSON {
    static func append(_ line: ScanResult.FileLine, to out: inout [UInt8]) {
        out += "    {\n".utf8
        field("chat", string: line.chat, to: &out)
        field("client", string: line.client, to: &out)
        key("duration", to: &out)
        if let duration = line.duration { number(duration, to: &out) } else { out += "null".utf8 }
        out += ",\n".utf8
        key("duration_is_estimate", to: &out)
        out += (line.durationIsEstimate ? "true" : "false").utf8
        out += ",\n".utf8
        field("format", string: line.format, to: &out)
        field("instance", string: line.instance, to: &out)
        field("kind", string: line.kind, to: &out)
        key("mtime", to: &out)
        out += (line.mtime.map(String.init) ?? "null").utf8
        out += ",\n".utf8
        field("name_time", string: line.nameTime, to: &out)
        field("path", string: line.path, to: &out)
        field("problem", string: line.problem, to: &out)
        key("size", to: &out)
        out += String(line.size).utf8
        out += ",\n".utf8
        field("token", string: line.token, to: &out)
        field("token_kind", string: line.tokenKind, to: &out)
        key("type", to: &out)
        string(line.type, to: &out)
        out += "\n    }".utf8
    }

    private static func key(_ name: StaticString, to out: inout [UInt8]) {
        out += "      \"".utf8
        name.withUTF8Buffer { out += $0 }
        out += "\" : ".utf8
    }

    private static func field(_ name: StaticString, string value: String?, to out: inout [UInt8]) {
        key(name, to: &out)
        if let value { string(value, to: &out) } else { out += "null".utf8 }
        out += ",\n".utf8
    }

    private static func string(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0x08: out += #"\b"#.utf8
            case 0x0C: out += #"\f"#.utf8
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Swift's shortest form, as the encoder writes it: `3` for 3.0, `1e-05`; the non-finite as
    /// ``ReportJSON`` spells them, in quotes.
    private static func number(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            string(value.isNaN ? "nan" : value > 0 ? "inf" : "-inf", to: &out)
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out += text.utf8
    }
}
