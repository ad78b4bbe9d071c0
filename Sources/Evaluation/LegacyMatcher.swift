public import MatchEngine

/// The first script written for this problem (spec §4), reproduced as a baseline so every
/// evaluation can show it beside the engine.
///
/// Our reading of "nearest message on the same day, else the first file": each file goes to the
/// message of its chat folder whose `data_envio` falls on the file name's calendar day, nearest
/// in time (both read as naive wall-clock times, as the script did); then every audio message of
/// a chat that got no file takes the chat's first file (by name). Nothing stops two files from
/// landing on one message, nor one file on many messages — which is what went wrong.
public enum LegacyMatcher {
    /// One legacy decision: a file assigned to a message.
    public struct Link: Sendable, Hashable, Codable {
        public var file: String
        public var messageRowID: Int64

        enum CodingKeys: String, CodingKey {
            case file
            case messageRowID = "message_id"
        }
    }

    public static func match(files: [AudioFile], messages: [AudioMessage]) -> [Link] {
        var messagesByChat: [String: [AudioMessage]] = [:]
        for message in messages {
            messagesByChat[ChatKey.digits(of: message.chatID), default: []].append(message)
        }
        var filesByChat: [String: [AudioFile]] = [:]
        for file in files { filesByChat[file.chatFolder, default: []].append(file) }
        var links: [Link] = []
        var messagesWithFile: Set<Int64> = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let time = file.name.time, let candidates = messagesByChat[file.chatFolder] else { continue }
            let day = time.secondsSinceEpoch.floorDivided(by: 86_400)
            let sameDay = candidates.filter { $0.insertTime.floorDivided(by: 86_400) == day }
            guard
                let nearest = sameDay.min(by: {
                    (abs($0.insertTime - time.secondsSinceEpoch), $0.rowID) < (
                        abs($1.insertTime - time.secondsSinceEpoch), $1.rowID
                    )
                })
            else { continue }
            links.append(Link(file: file.path, messageRowID: nearest.rowID))
            messagesWithFile.insert(nearest.rowID)
        }
        for (chat, chatMessages) in messagesByChat {
            guard let first = filesByChat[chat]?.min(by: { $0.fileName < $1.fileName }) else { continue }
            for message in chatMessages where !messagesWithFile.contains(message.rowID) {
                links.append(Link(file: first.path, messageRowID: message.rowID))
            }
        }
        return links.sorted { ($0.messageRowID, $0.file) < ($1.messageRowID, $1.file) }
    }
}
