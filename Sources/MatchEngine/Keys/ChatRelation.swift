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
    ///
    /// Borrowing: an initializer takes its arguments owned, so every caller copied the file and the
    /// message (a retain and a release of each string) to ask, once per scored pair.
    public init(file: borrowing AudioFile, message: borrowing AudioMessage, ownNumberFolder: String? = nil) {
        self.init(
            folder: file.keys,
            chat: message.chatKeys,
            senderKey: message.senderKey,
            fromMe: message.fromMe,
            ownNumberFolder: ownNumberFolder
        )
    }

    /// The relation from the reduced keys alone (blocking asks it without copying messages).
    public init(folder: FolderKeys, chat: ChatKeys, senderKey: String?, fromMe: Bool, ownNumberFolder: String? = nil) {
        if folder.digits == chat.digits {
            self = .same
        } else if folder.canonical == chat.canonical {
            self = .ninthDigit
        } else if chat.isGroup, let sender = senderKey, sender == folder.canonical {
            self = .senderFolder
        } else if fromMe, let own = ownNumberFolder, ChatKey(own).canonical == folder.canonical {
            self = .ownNumber
        } else {
            self = .different
        }
    }

    /// Whether a file could belong to the message without a cross-chat link.
    public var isSameConversation: Bool { self != .different }
}
