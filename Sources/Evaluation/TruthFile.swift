public import Foundation

/// The labels a store is evaluated against: for each file, the message it belongs to.
///
/// CSV with a header: `file,message_id[,defects]`. `file` is relative to the media root with `/`;
/// `message_id` is `core_mensagem.id` (the row's primary key, not the WhatsApp id, which may be
/// NULL), empty for a file that belongs to no message; `defects` (optional) lists the defects
/// the generator gave that file, separated by `;`, for per-defect figures. See `docs/truth-format.md`.
public struct TruthFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var file: String
        public var messageRowID: Int64?
        public var defects: [String]

        public init(file: String, messageRowID: Int64?, defects: [String] = []) {
            self.file = file
            self.messageRowID = messageRowID
            self.defects = defects
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The message of each file, by path.
    public var messageByFile: [String: Int64?] {
        Dictionary(entries.map { ($0.file, $0.messageRowID) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads a truth file.
    ///
    /// - Throws: ``EvaluationError/badTruthFile`` naming the line that is wrong.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw EvaluationError.badTruthFile(
                path: url.path, line: 0, reason: "cannot read it (\(error.localizedDescription))")
        }
        try self.init(csv: text, path: url.path)
    }

    /// Parses CSV text.
    public init(csv text: String, path: String = "truth.csv") throws {
        var entries: [Entry] = []
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .makeIterator()
        guard let (_, header) = lines.next(), CSV.fields(header).prefix(2) == ["file", "message_id"] else {
            throw EvaluationError.badTruthFile(
                path: path, line: 1, reason: "the header must start with file,message_id")
        }
        while let (number, line) = lines.next() {
            if line.isEmpty { continue }
            let fields = CSV.fields(line)
            guard fields.count >= 2, !fields[0].isEmpty else {
                throw EvaluationError.badTruthFile(path: path, line: number + 1, reason: "expected file,message_id")
            }
            let message: Int64?
            if fields[1].isEmpty {
                message = nil
            } else if let id = Int64(fields[1]) {
                message = id
            } else {
                throw EvaluationError.badTruthFile(
                    path: path, line: number + 1, reason: "message_id `\(fields[1])` is not a row id")
            }
            let defects = fields.count > 2 ? fields[2].split(separator: ";").map(String.init) : []
            entries.append(Entry(file: fields[0], messageRowID: message, defects: defects))
        }
        self.entries = entries
    }

    /// The CSV text, header first, files sorted.
    public var csv: String {
        var out = "file,message_id,defects\n"
        for entry in entries.sorted(by: { $0.file < $1.file }) {
            out +=
                CSV.escape(entry.file) + "," + (entry.messageRowID.map(String.init) ?? "") + ","
                + CSV.escape(entry.defects.joined(separator: ";")) + "\n"
        }
        return out
    }
}

/// Just enough CSV (RFC 4180 quoting) for truth files.
enum CSV {
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        field.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
