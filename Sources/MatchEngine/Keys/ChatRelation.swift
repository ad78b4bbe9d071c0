/// How a file's chat folder relates to a message's chat, under every normalisation the spec lists.
public enum ChatRelation: String, Sendable, Hashable, Codable {
    /// The folder is the chat id's digits (JID suffix and punctuation aside).
    case same
    /// Equal once the Brazilian mobile ninth digit is added or removed.
    case ninthDigit = "ninth_digit"
    /// A group message whose file sits under its sender's folder.
    case senderFolder = "sender_folder"
    /// A message the connected phone sent, filed under the instance's own number.
    case ownNumber = "own_number"
    /// None of these.
    case different

    /// The relation between `file`'s folder and `message`'s chat.
    public init(file: AudioFile, message: AudioMessage, ownNumberFolder: String? = nil) {
        let folder = ChatKey.digits(of: file.chatFolder)
        let chat = ChatKey.digits(of: message.chatID)
        if folder == chat {
            self = .same
        } else if ChatKey.withoutNinthDigit(folder) == ChatKey.withoutNinthDigit(chat) {
            self = .ninthDigit
        } else if ChatKey.isGroup(message.chatID), let sender = message.sender,
            ChatKey(sender) == ChatKey(folder)
        {
            self = .senderFolder
        } else if message.fromMe, let own = ownNumberFolder, ChatKey(own) == ChatKey(folder) {
            self = .ownNumber
        } else {
            self = .different
        }
    }

    /// Whether a file could belong to the message without a cross-chat link.
    public var isSameConversation: Bool { self != .different }
}
