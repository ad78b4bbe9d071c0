public import MatchEngine

/// The result of editing a `conteudo`.
public enum ConteudoEdit: Sendable, Equatable {
    /// The text already says what the action would make it say; nothing to write.
    case unchanged
    /// The new text.
    case changed(String)
}

/// Why a `conteudo` cannot be edited.
public enum ConteudoEditError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notJSON
    case notAnObject
    case noAudioMessage

    public var description: String {
        switch self {
        case .empty: "conteudo is empty; there is no audioMessage to link"
        case .notJSON: "conteudo is not well-formed JSON; it is left as it is"
        case .notAnObject: "conteudo is JSON but not an object; it is left as it is"
        case .noAudioMessage: "conteudo has no audioMessage object; it is left as it is"
        }
    }

    init(_ problem: ConteudoProblem) {
        switch problem {
        case .empty: self = .empty
        case .nonJSON: self = .notJSON
        case .notAnObject: self = .notAnObject
        case .noAudioMessage: self = .noAudioMessage
        }
    }
}

/// Sets or removes `audioMessage.localPath` and `audioMessage.localUrl` in a `conteudo` text, changing
/// nothing else.
///
/// The edit is done on the text, not by decoding and re-encoding it: every other key and value, the key
/// order, the number formatting, the escapes and the white space stay byte for byte as the gateway wrote
/// them (a re-encode would turn `1754910197.0` into `1754910197`, reorder keys and re-escape `\/`). An
/// existing key has its value replaced in place; a missing key is appended at the end of the
/// `audioMessage` object, with the separator and `:` spacing of the member before it. A key that
/// appears more than once has every occurrence rewritten (or removed), so no reader can see a stale one.
///
/// ```swift
/// let edit = try ConteudoEditor.apply(.link(localPath: "A/instance_X/chats/5569/a.ogg",
///                                           localUrl: "/api/audio/hash-mapping/7/"),
///                                     to: #"{"audioMessage": {"seconds": 7}}"#)
/// // .changed(#"{"audioMessage": {"seconds": 7, "localPath": "A/…/a.ogg", "localUrl": "/api/…/7/"}}"#)
/// ```
public enum ConteudoEditor {
    /// Applies `action` to `conteudo`.
    /// - Returns: ``ConteudoEdit/unchanged`` when the text already holds the intended values (or, to
    ///   remove, holds neither key), else the new text.
    /// - Throws: ``ConteudoEditError`` when the text is not a JSON object with an `audioMessage` object,
    ///   nor a legacy caption (``PlaceholderConteudo``), which a link replaces with one.
    public static func apply(_ action: ChangeSet.Change.Action, to conteudo: String) throws(ConteudoEditError)
        -> ConteudoEdit
    {
        var text = conteudo
        let result: Result<ConteudoEdit, ConteudoEditError> = text.withUTF8 { buffer in
            do throws(ConteudoProblem) {
                let layout = try ConteudoLayout.locate(in: buffer)
                let object = AudioObject(buffer, span: layout.audioMessage)
                switch action {
                case .link(let path, let url): return .success(object.linking(path: path, url: url))
                case .unlink: return .success(object.unlinking())
                }
            } catch {
                guard error == .nonJSON || error == .notAnObject, PlaceholderConteudo.isPlaceholder(buffer) else {
                    return .failure(ConteudoEditError(error))
                }
                switch action {
                case .link(let path, let url):
                    return .success(.changed(PlaceholderConteudo.linked(buffer, path: path, url: url)))
                case .unlink: return .success(.unchanged)
                }
            }
        }
        return try result.get()
    }
}

/// The members of one `audioMessage` object, with the byte ranges the editor needs.
private struct AudioObject {
    struct Member {
        var keyStart: Int
        var keyEnd: Int
        var valueStart: Int
        var valueEnd: Int
        var name: Name
        var value: JSONSpan
    }

    enum Name { case localPath, localUrl, other }

    let buffer: UnsafeBufferPointer<UInt8>
    let cursor: JSONCursor
    let open: Int
    let close: Int
    var members: [Member] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, span: JSONSpan) {
        self.buffer = buffer
        var cursor = JSONCursor(buffer)
        self.cursor = cursor
        open = span.start
        close = span.end - 1
        cursor.position = span.start
        // The text was validated by `ConteudoLayout.locate`, so these reads cannot fail.
        guard (try? cursor.beginObject(depth: 0)) == false else { return }
        repeat {
            guard let key = try? cursor.readKey() else { return }
            let valueStart = cursor.position
            guard let value = try? cursor.readValue(depth: 1) else { return }
            let name: Name =
                cursor.stringEquals(key, "localPath")
                ? .localPath : cursor.stringEquals(key, "localUrl") ? .localUrl : .other
            members.append(
                Member(
                    keyStart: key.start, keyEnd: key.end, valueStart: valueStart,
                    valueEnd: value.end, name: name, value: value))
        } while (try? cursor.endMember()) == false
    }

    private func holds(_ name: Name, _ text: String) -> Bool {
        let found = members.filter { $0.name == name }
        return !found.isEmpty && found.allSatisfy { $0.value.kind == .string && cursor.string($0.value) == text }
    }

    func linking(path: String, url: String) -> ConteudoEdit {
        if holds(.localPath, path) && holds(.localUrl, url) { return .unchanged }
        var edits: [(range: Range<Int>, bytes: [UInt8])] = []
        for member in members where member.name != .other {
            let text = member.name == .localPath ? path : url
            edits.append((member.valueStart..<member.valueEnd, JSONText.encodeString(text)))
        }
        var missing: [UInt8] = []
        let hasPath = members.contains { $0.name == .localPath }
        let hasURL = members.contains { $0.name == .localUrl }
        if let last = members.last {
            let colon = Array(buffer[last.keyEnd..<last.valueStart])
            var separator = Array(buffer[whitespaceStart(before: last.keyStart)..<last.keyStart])
            if members.count == 1, !separator.contains(0x0A) {
                // The white space after `{` says nothing about the one between members: `{"a": 1}` is
                // Python's `", "` style, `{"a":1}` the compact one. The colon's spacing tells them apart.
                separator = colon.contains(0x20) ? [0x20] : []
            }
            for (present, key, value) in [(hasPath, "localPath", path), (hasURL, "localUrl", url)] where !present {
                missing +=
                    [UInt8(ascii: ",")] + separator + JSONText.encodeString(key) + colon
                    + JSONText.encodeString(value)
            }
            if !missing.isEmpty { edits.append((last.valueEnd..<last.valueEnd, missing)) }
        } else {
            missing =
                JSONText.encodeString("localPath") + Array(":".utf8) + JSONText.encodeString(path)
                + Array(",".utf8) + JSONText.encodeString("localUrl") + Array(":".utf8) + JSONText.encodeString(url)
            edits.append((open + 1..<close, missing))
        }
        return .changed(splice(edits))
    }

    func unlinking() -> ConteudoEdit {
        let doomed = members.indices.filter { members[$0].name != .other }
        guard !doomed.isEmpty else { return .unchanged }
        if doomed.count == members.count {
            // Nothing is left: an empty object, without the white space of the members that went.
            return .changed(splice([(open + 1..<close, [])]))
        }
        var edits: [(range: Range<Int>, bytes: [UInt8])] = []
        var index = 0
        while index < members.count {
            guard members[index].name != .other else {
                index += 1
                continue
            }
            var runEnd = index
            while runEnd + 1 < members.count, members[runEnd + 1].name != .other { runEnd += 1 }
            if index > 0 {
                // `…value1, "localPath": "x"` → `…value1`: the comma before goes with the member.
                edits.append((members[index - 1].valueEnd..<members[runEnd].valueEnd, []))
            } else {
                // The first members go with the comma after them, up to the next key, so the next member
                // takes their place after the opening brace's white space.
                edits.append((members[index].keyStart..<members[runEnd + 1].keyStart, []))
            }
            index = runEnd + 1
        }
        return .changed(splice(edits))
    }

    private func whitespaceStart(before index: Int) -> Int {
        var i = index
        while i > 0 {
            switch buffer[i - 1] {
            case 0x20, 0x09, 0x0A, 0x0D: i -= 1
            default: return i
            }
        }
        return i
    }

    /// The text with each range replaced; ranges do not overlap.
    private func splice(_ edits: [(range: Range<Int>, bytes: [UInt8])]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(buffer.count + edits.reduce(0) { $0 + $1.bytes.count })
        var position = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            out += buffer[position..<edit.range.lowerBound]
            out += edit.bytes
            position = edit.range.upperBound
        }
        out += buffer[position..<buffer.count]
        return String(decoding: out, as: UTF8.self)
    }
}

/// Writing JSON text.
enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func encodeString(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 2)
        // Runs of bytes that need no escape are copied whole: paths and URLs are nearly all such
        // bytes, and appending them one at a time was most of a preview's editing.
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for position in bytes.indices {
                let c = bytes[position]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: bytes[runStart..<position])
                runStart = position + 1
                switch c {
                case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out += Array("\\u00".utf8) + [hex[Int(c >> 4)], hex[Int(c & 15)]]
                }
            }
            out.append(contentsOf: bytes[runStart...])
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
