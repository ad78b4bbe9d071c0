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
    /// A group message whose row names no sender by number (`remetente` holds a name, and
    /// `conteudo` no participant), its file under a person's folder: perhaps the sender's, but
    /// nothing says whose. Only a name token that names the message proposes such a pair.
    case unnamedSender = "unnamed_sender"
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
        } else if chat.isGroup, !Self.namesANumber(senderKey), Self.isPhoneNumber(folder) {
            self = .unnamedSender
        } else {
            self = .different
        }
    }

    /// Whether a file could belong to the message without a cross-chat link. Not so for an
    /// unnamed sender: the folder may be anyone's, so only the file's own name may say so.
    public var isSameConversation: Bool { self != .different && self != .unnamedSender }

    /// Whether a sender key is a number (a JID's or a phone's digits), not a name or nothing.
    static func namesANumber(_ senderKey: String?) -> Bool {
        senderKey?.utf8.first.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false
    }

    /// Whether a chat folder is a person's number: digits, at most E.164's fifteen (a group's id
    /// is longer).
    static func isPhoneNumber(_ folder: FolderKeys) -> Bool {
        namesANumber(folder.digits) && folder.digits.utf8.count <= 15
    }
}
