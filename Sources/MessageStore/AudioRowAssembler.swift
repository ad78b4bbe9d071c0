import MatchEngine

/// Turns audio rows, as any backend reads them, into messages and counts the ones it cannot use.
///
/// The backends hand over raw pieces (the `conteudo` bytes straight from the driver's buffer) so that
/// nothing is copied for a row that turns out unusable, and the same rules hold for SQLite and
/// PostgreSQL.
struct AudioRowAssembler {
    var messages: [AudioMessage] = []
    var fingerprints: [ContentFingerprint] = []
    var report = LoadReport()
    private var mimetypes = StringInterner()
    // Every message of a chat shares its reduced keys: computed once per chat, not per row.
    private var chatKeys: [Int64: ChatKeys] = [:]
    private var clientKeys: [Int64: ClientKey] = [:]

    init(expectedRows: Int = 0) {
        messages.reserveCapacity(expectedRows)
        fingerprints.reserveCapacity(expectedRows)
    }

    /// Adds one row. `messageID` and `sender` are read only for rows that become messages.
    mutating func add(
        rowID: Int64,
        chat: ChatInfo?,
        conteudo: UnsafeBufferPointer<UInt8>?,
        insertTime: Int64?,
        fromMe: Bool,
        messageID: () -> String?,
        sender: () -> String?
    ) {
        report.rowsRead += 1
        guard let chat else {
            report.count(.missingChat, row: rowID)
            return
        }
        guard let conteudo else {
            report.count(.emptyConteudo, row: rowID)
            return
        }
        let columnID = messageID().flatMap { $0.isEmpty ? nil : $0 }
        let fields: ConteudoFields
        do {
            fields = try ConteudoFields.read(conteudo, wantsKeyID: columnID == nil, mimetypes: &mimetypes)
        } catch {
            guard error == .nonJSON || error == .notAnObject, PlaceholderConteudo.isPlaceholder(conteudo) else {
                report.count(UnusableReason(error), row: rowID)
                return
            }
            // A legacy caption (`[Áudio]`): a voice note all the same, known by its chat, sender,
            // insert time and order alone.
            fields = ConteudoFields()
            report.placeholderRows += 1
        }
        guard let insertTime else {
            report.count(.badDataEnvio, row: rowID)
            return
        }
        if !fields.invalidFields.isEmpty { report.count(fields.invalidFields) }
        let keys: ChatKeys
        if let known = chatKeys[chat.chatRowID] {
            keys = known
        } else {
            let client = clientKeys[chat.clientID] ?? ClientKey(chat.clientName)
            clientKeys[chat.clientID] = client
            keys = ChatKeys(chatID: chat.chatID, client: client)
            chatKeys[chat.chatRowID] = keys
        }
        messages.append(
            AudioMessage(
                rowID: rowID,
                clientID: chat.clientID,
                clientName: chat.clientName,
                instanceID: chat.instanceID,
                chatRowID: chat.chatRowID,
                chatID: chat.chatID,
                whatsappID: columnID ?? fields.keyID,
                // A group message's sender: `key.participant` is its JID; `remetente` may hold
                // a name.
                sender: fields.participant ?? sender(),
                fromMe: fromMe,
                insertTime: insertTime,
                sentTime: fields.sentTime,
                declaredSeconds: fields.declaredSeconds,
                fileLength: fields.fileLength,
                fileSHA256: fields.fileSHA256,
                mimetype: fields.mimetype,
                localPath: fields.localPath,
                chatKeys: keys
            ))
        fingerprints.append(ContentFingerprint(bytes: UnsafeRawBufferPointer(conteudo)))
        report.loaded += 1
    }

    func finish() -> MessageLoad {
        MessageLoad(messages: messages, fingerprints: fingerprints, report: report)
    }
}
