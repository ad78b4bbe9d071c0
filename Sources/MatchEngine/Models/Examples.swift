// Builders for strategy examples and tests: a voice note and its message as the spec shows them,
// with every field overridable. `package`, so the strategies' examples and every test target can
// use them, but no user of the library sees them.

extension AudioFile {
    /// A file of the spec's demo store: `Elizeu_Batiliere_Dos_Santos/instance_3B6XIW-ZTS923-GEAY6V/
    /// chats/<chat>/audio/msg_<token>_<time>.ogg`.
    ///
    /// - Parameters:
    ///   - token: the `HASH8` (or full id with `tokenKind: .fullID`); `nil` for a name without one.
    ///   - time: the name's wall-clock time, `YYYY-MM-DD HH:MM:SS`; `nil` for a name without one.
    package static func example(
        token: String? = "9D07958D",
        tokenKind: FileName.TokenKind = .hash8,
        time: String? = "2025-08-09 17:49:18",
        chat: String = "556999267344",
        client: String = "Elizeu_Batiliere_Dos_Santos",
        instance: String = "3B6XIW-ZTS923-GEAY6V",
        duration: Double? = 7.46,
        size: Int64 = 18_342,
        format: AudioFormat = .oggOpus,
        sha256: ContentDigest? = nil,
        modificationTime: Int64? = nil,
        problem: FileProblem? = nil,
        name: String? = nil
    ) -> AudioFile {
        let localTime = time.flatMap { LocalTime(text: $0) }
        let fileName =
            name
            ?? {
                let compact = localTime?.compactStamp
                let prefix = tokenKind == .fullID ? "wapi" : "msg"
                return [prefix, token, compact].compactMap { $0 }.joined(separator: "_") + ".ogg"
            }()
        return AudioFile(
            path: "\(client)/instance_\(instance)/chats/\(chat)/audio/\(fileName)",
            clientFolder: client,
            instanceID: instance,
            chatFolder: chat,
            kind: "audio",
            name: FileName(token: token, tokenKind: tokenKind, time: localTime),
            modificationTime: modificationTime,
            size: size,
            format: format,
            duration: duration,
            durationIsEstimate: problem == .truncated,
            problem: problem,
            sha256: sha256
        )
    }
}

extension AudioMessage {
    /// An audio message of the spec's demo store, sent at `sent` (UTC) three hours before the
    /// example file's name time (the server ran on UTC−03:00) and seconds before it was downloaded.
    ///
    /// - Parameters:
    ///   - sent: `messageTimestamp` as `YYYY-MM-DD HH:MM:SS` UTC; `nil` when the gateway gave none.
    ///   - inserted: `data_envio`; defaults to `sent`.
    package static func example(
        rowID: Int64 = 1,
        id: String? = "9D07958D2C41A7E05B3F",
        chat: String = "556999267344@s.whatsapp.net",
        client: String = "Elizeu Batilière dos Santos",
        instance: String? = "3B6XIW-ZTS923-GEAY6V",
        sent: String? = "2025-08-09 20:49:12",
        inserted: String? = nil,
        seconds: Int? = 7,
        fileLength: Int64? = nil,
        sha256: ContentDigest? = nil,
        mimetype: String? = "audio/ogg; codecs=opus",
        fromMe: Bool = false,
        sender: String? = nil,
        localPath: String? = nil
    ) -> AudioMessage {
        let sentTime = sent.flatMap { LocalTime(text: $0)?.secondsSinceEpoch }
        let insertTime = (inserted ?? sent).flatMap { LocalTime(text: $0)?.secondsSinceEpoch } ?? 0
        return AudioMessage(
            rowID: rowID,
            clientID: 1,
            clientName: client,
            instanceID: instance,
            chatRowID: 1,
            chatID: chat,
            whatsappID: id,
            sender: sender,
            fromMe: fromMe,
            insertTime: insertTime,
            sentTime: sentTime,
            declaredSeconds: seconds,
            fileLength: fileLength,
            fileSHA256: sha256,
            mimetype: mimetype,
            localPath: localPath
        )
    }
}

extension ContentDigest {
    /// A digest whose 32 bytes are all `byte`: distinct, readable stand-ins in examples.
    package static func example(_ byte: UInt8) -> ContentDigest {
        ContentDigest(bytes: Array(repeating: byte, count: 32))!
    }
}
