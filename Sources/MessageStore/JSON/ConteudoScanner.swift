/// Why a `conteudo` cannot give an audio message at all.
enum ConteudoProblem: Error, Sendable, Equatable {
    /// `NULL`, empty or only white space.
    case empty
    /// Not well-formed JSON (the legacy `[Áudio]` placeholder, a cut-off text, invalid UTF-8).
    case nonJSON
    /// Well-formed JSON, but not an object (a bare string, an array).
    case notAnObject
    /// An object without an `audioMessage` object.
    case noAudioMessage
}

/// Where the fields that matter sit in one `conteudo`, found in a single validating pass.
///
/// The `audioMessage` object is the top-level one; gateways that store the whole WhatsApp message
/// put it under `message.audioMessage`, which is used only when there is no top-level one. When a key
/// appears twice in an object the last one counts, as in Python's and JavaScript's JSON readers (the
/// CRM's own code).
struct ConteudoLayout {
    /// The `audioMessage` object, braces included.
    var audioMessage = JSONSpan(kind: .null, start: 0, end: 0)
    var seconds: JSONSpan?
    var fileLength: JSONSpan?
    var fileSha256: JSONSpan?
    var mimetype: JSONSpan?
    var localPath: JSONSpan?
    var localUrl: JSONSpan?
    var messageTimestamp: JSONSpan?
    var key: JSONSpan?
    var keyID: JSONSpan?
    /// `key.participant`: who sent a group message (a JID), where `remetente` may hold a name.
    var keyParticipant: JSONSpan?

    /// Reads `buffer` whole, validating it as JSON, and finds the fields.
    static func locate(in buffer: UnsafeBufferPointer<UInt8>) throws(ConteudoProblem) -> ConteudoLayout {
        var cursor = JSONCursor(buffer)
        cursor.skipWhitespace()
        guard !cursor.atEnd else { throw .empty }
        guard cursor.byte(at: cursor.position) == UInt8(ascii: "{") else {
            // Tell "valid JSON but not an object" apart from "not JSON" for the report.
            var probe = JSONCursor(buffer)
            throw (try? probe.readDocument()) == nil ? .nonJSON : .notAnObject
        }
        var layout = ConteudoLayout()
        var topLevelAudio: JSONSpan?
        var nested = ConteudoLayout()
        var nestedAudio: JSONSpan?
        do {
            if try !cursor.beginObject(depth: 0) {
                repeat {
                    let key = try cursor.readKey()
                    // Dispatch on the raw length first (escaped keys take the slow path).
                    let length = key.hasEscapes ? -1 : key.end - key.start - 2
                    if (length == 12 || length < 0) && cursor.stringEquals(key, "audioMessage") {
                        let value = try layout.readAudioMessage(&cursor, depth: 1)
                        topLevelAudio = value
                    } else if (length == 16 || length < 0) && cursor.stringEquals(key, "messageTimestamp") {
                        layout.messageTimestamp = try cursor.readValue(depth: 1)
                    } else if (length == 3 || length < 0) && cursor.stringEquals(key, "key") {
                        let value = try layout.readKey(&cursor)
                        layout.key = value
                    } else if (length == 7 || length < 0) && cursor.stringEquals(key, "message") {
                        // The last `message` counts, whatever it holds.
                        nestedAudio = try nested.readMessage(&cursor)
                    } else {
                        _ = try cursor.readValue(depth: 1)
                    }
                } while try !cursor.endMember()
            }
            cursor.skipWhitespace()
            guard cursor.atEnd else { throw cursor.fail("unexpected text after the value") }
        } catch {
            throw .nonJSON
        }
        if let audio = topLevelAudio {
            guard audio.kind == .object else { throw .noAudioMessage }
            layout.audioMessage = audio
            return layout
        }
        guard let audio = nestedAudio, audio.kind == .object else { throw .noAudioMessage }
        nested.audioMessage = audio
        nested.messageTimestamp = layout.messageTimestamp
        nested.key = layout.key
        nested.keyID = layout.keyID
        nested.keyParticipant = layout.keyParticipant
        return nested
    }

    /// Reads the value of an `audioMessage` key; when it is an object, records its fields (replacing
    /// those of an earlier `audioMessage`, since the last one counts).
    private mutating func readAudioMessage(_ cursor: inout JSONCursor, depth: Int) throws(JSONSyntaxError)
        -> JSONSpan
    {
        guard cursor.peek == UInt8(ascii: "{") else { return try cursor.readValue(depth: depth) }
        let start = cursor.position
        seconds = nil
        fileLength = nil
        fileSha256 = nil
        mimetype = nil
        localPath = nil
        localUrl = nil
        if try !cursor.beginObject(depth: depth) {
            repeat {
                let key = try cursor.readKey()
                let value = try cursor.readValue(depth: depth + 1)
                // Cheap dispatch on length first: most keys of an audioMessage match none of these.
                switch key.end - key.start - 2 {
                case 7 where cursor.stringEquals(key, "seconds"): seconds = value
                case 8 where cursor.stringEquals(key, "mimetype"): mimetype = value
                case 8 where cursor.stringEquals(key, "localUrl"): localUrl = value
                case 9 where cursor.stringEquals(key, "localPath"): localPath = value
                case 10 where cursor.stringEquals(key, "fileLength"): fileLength = value
                case 10 where cursor.stringEquals(key, "fileSha256"): fileSha256 = value
                default:
                    if key.hasEscapes { matchEscaped(key, value, cursor) }
                }
            } while try !cursor.endMember()
        }
        return JSONSpan(kind: .object, start: start, end: cursor.position)
    }

    /// The slow path for keys written with escapes, whose raw length says nothing.
    private mutating func matchEscaped(_ key: JSONSpan, _ value: JSONSpan, _ cursor: JSONCursor) {
        if cursor.stringEquals(key, "seconds") {
            seconds = value
        } else if cursor.stringEquals(key, "mimetype") {
            mimetype = value
        } else if cursor.stringEquals(key, "localUrl") {
            localUrl = value
        } else if cursor.stringEquals(key, "localPath") {
            localPath = value
        } else if cursor.stringEquals(key, "fileLength") {
            fileLength = value
        } else if cursor.stringEquals(key, "fileSha256") {
            fileSha256 = value
        }
    }

    /// Reads the `key` object, recording its `id` and `participant`.
    private mutating func readKey(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> JSONSpan {
        keyID = nil
        keyParticipant = nil
        guard cursor.peek == UInt8(ascii: "{") else { return try cursor.readValue(depth: 1) }
        let start = cursor.position
        if try !cursor.beginObject(depth: 1) {
            repeat {
                let key = try cursor.readKey()
                let value = try cursor.readValue(depth: 2)
                if cursor.stringEquals(key, "id") {
                    keyID = value
                } else if cursor.stringEquals(key, "participant") {
                    keyParticipant = value
                }
            } while try !cursor.endMember()
        }
        return JSONSpan(kind: .object, start: start, end: cursor.position)
    }

    /// Reads a `message` object, returning its `audioMessage` value when it has one.
    private mutating func readMessage(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> JSONSpan? {
        guard cursor.peek == UInt8(ascii: "{") else {
            _ = try cursor.readValue(depth: 1)
            return nil
        }
        var audio: JSONSpan?
        if try !cursor.beginObject(depth: 1) {
            repeat {
                let key = try cursor.readKey()
                if cursor.stringEquals(key, "audioMessage") {
                    audio = try readAudioMessage(&cursor, depth: 2)
                } else {
                    _ = try cursor.readValue(depth: 2)
                }
            } while try !cursor.endMember()
        }
        return audio
    }
}

extension JSONCursor {
    /// The byte at the cursor, or 0 at the end.
    var peek: UInt8 { position < count ? byte(at: position) : 0 }
}
