public import MatchEngine

/// The approach audiosync replaces (spec §4), as it was written, in its two parts, so every
/// evaluation can show both beside the engine. Each is read from its own description only.
public enum LegacyMatcher {
    /// One legacy decision: a file given to a message.
    public struct Link: Sendable, Hashable, Codable {
        public var file: String
        public var messageRowID: Int64
    }

    /// What the first sync script did and what it said it did.
    public struct ScriptRun: Sendable, Hashable, Codable {
        /// Every file it mapped to a message: what its report counted.
        public var mapped: [Link]
        /// The rows it wrote: a message took the first file mapped to it, while its `localPath` was
        /// still empty.
        public var written: [Link]
        /// Files with a token and a time that it examined.
        public var examined: Int
        /// The most files it mapped to one message.
        public var mostFilesOnOneMessage: Int
    }

    /// The sync script: for each file whose name has a token and a time, the audio message of the
    /// same chat sent on the same calendar day, nearest in time. The file's time is its mtime, the
    /// message's its `data_envio`, both read on the server's clock (`serverOffset`, time-zone
    /// aware); the chat is the folder's digits against the chat id's. It reported every file it
    /// mapped, but wrote a message only while its `localPath` was absent, so the first file (in
    /// path order) won and the rest went nowhere.
    public static func syncScript(files: [AudioFile], messages: [AudioMessage], serverOffset: Int64 = -10_800)
        -> ScriptRun
    {
        var messagesByChat: [String: [AudioMessage]] = [:]
        for message in messages { messagesByChat[ChatKey.digits(of: message.chatID), default: []].append(message) }
        var mapped: [Link] = []
        var examined = 0
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard file.name.token != nil, file.name.time != nil, let mtime = file.modificationTime else { continue }
            examined += 1
            let local = mtime + serverOffset
            let day = local.floorDivided(by: 86_400)
            let sameDay = (messagesByChat[file.chatFolder] ?? []).filter {
                ($0.insertTime + serverOffset).floorDivided(by: 86_400) == day
            }
            guard
                let nearest = sameDay.min(by: {
                    (abs($0.insertTime - mtime), $0.rowID) < (abs($1.insertTime - mtime), $1.rowID)
                })
            else { continue }
            mapped.append(Link(file: file.path, messageRowID: nearest.rowID))
        }
        let claimed = Set(messages.filter { $0.localPath != nil }.map(\.rowID))
        var written: [Int64: Link] = [:]
        // Only while the row has no localPath: an earlier tool's, or this run's first file.
        for link in mapped where written[link.messageRowID] == nil && !claimed.contains(link.messageRowID) {
            written[link.messageRowID] = link
        }
        let perMessage = Dictionary(grouping: mapped, by: \.messageRowID).values.map(\.count)
        return ScriptRun(
            mapped: mapped,
            written: written.values.sorted { $0.messageRowID < $1.messageRowID },
            examined: examined,
            mostFilesOnOneMessage: perMessage.max() ?? 0
        )
    }

    /// The CRM's audio endpoint (`/api/audio/hash-mapping/<id>/`), for every audio message with no
    /// link: the file of the message's chat folder whose name contains the WhatsApp id or its
    /// first 8 characters, else one whose name holds the message's date, else the chat's most
    /// recent file, else its first. What the front end played for it.
    ///
    /// - Parameter linked: messages that hold a link (the endpoint serves those as linked).
    public static func endpoint(
        files: [AudioFile], messages: [AudioMessage], linked: Set<Int64>, serverOffset: Int64 = -10_800
    ) -> [Link] {
        var filesByChat: [String: [AudioFile]] = [:]
        for file in files { filesByChat[file.chatFolder, default: []].append(file) }
        var links: [Link] = []
        for message in messages where !linked.contains(message.rowID) {
            guard let folder = filesByChat[ChatKey.digits(of: message.chatID)], !folder.isEmpty else { continue }
            let byName = folder.sorted { $0.fileName < $1.fileName }
            let id = message.whatsappID?.uppercased()
            let date = LocalTime(secondsSinceEpoch: message.insertTime + serverOffset).compactStamp.prefix(8)
            let chosen =
                id.flatMap { id in
                    byName.first { $0.fileName.uppercased().contains(id) }
                        ?? byName.first { $0.fileName.uppercased().contains(id.prefix(8)) }
                }
                ?? byName.first { $0.fileName.contains(date) }
                ?? folder.max { ($0.modificationTime ?? 0, $0.path) < ($1.modificationTime ?? 0, $1.path) }
                ?? byName[0]
            links.append(Link(file: chosen.path, messageRowID: message.rowID))
        }
        return links
    }
}
