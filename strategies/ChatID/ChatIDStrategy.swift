public import MatchEngine

/// Is the file's chat folder the message's chat? A file never belongs to a message of another
/// chat unless the profile allows cross-chat links: this is the veto tier.
public struct ChatIDStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case same
        case ninthDigit = "ninth_digit"
        case senderFolder = "sender_folder"
        case ownNumber = "own_number"
        case unnamedSender = "unnamed_sender"
        case otherChat = "other_chat"
        case otherChatAllowed = "other_chat_allowed"

        public var defaultBits: Double {
            switch self {
            // Blocking already pairs files with their own chat's messages, so agreeing says little.
            case .same, .ninthDigit: 0
            case .senderFolder, .ownNumber: -2
            // Any member's folder would do: weaker than a sender the row names.
            case .unnamedSender: -4
            case .otherChat: 0
            case .otherChatAllowed: -6
            }
        }

        public var effect: EvidenceEffect { self == .otherChat ? .veto : .none }

        public var summary: String {
            switch self {
            case .same: "folder is the message's chat"
            case .ninthDigit: "folder is the message's chat but for the Brazilian ninth digit"
            case .senderFolder: "group message filed under its sender's folder"
            case .ownNumber: "sent from the phone, filed under the instance's own number"
            case .unnamedSender: "group message naming no sender, filed under a person's folder (the sender's?)"
            case .otherChat: "folder is another chat"
            case .otherChatAllowed: "folder is another chat (cross-chat links allowed)"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "chat_id",
        name: "Chat id",
        summary:
            "Compares the file's chat folder with the message's chat, JID, punctuation, country code and ninth digit aside.",
        tier: .veto,
        examples: [
            StrategyExample(
                .example(chat: "556999267344"), .example(chat: "556999267344@s.whatsapp.net"), expect: "same"),
            StrategyExample(.example(chat: "556999267344"), .example(chat: "+55 (69) 9926-7344"), expect: "same"),
            // A number written as a person writes it, without the country code, and its JID.
            StrategyExample(.example(chat: "5579965146325"), .example(chat: "(79) 96514-6325"), expect: "same"),
            StrategyExample(.example(chat: "79965146325"), .example(chat: "5579965146325@c.us"), expect: "same"),
            StrategyExample(.example(chat: "557965146325"), .example(chat: "(79) 96514-6325"), expect: "ninth_digit"),
            StrategyExample(.example(chat: "556932241122"), .example(chat: "(69) 3224-1122"), expect: "same"),
            // Not an area code Anatel assigns (20): another country's number, left as it is.
            StrategyExample(.example(chat: "5520965146325"), .example(chat: "(20) 96514-6325"), expect: "other_chat"),
            // A punctuated number's hyphen does not make it an old-style group id: the row's sender
            // (a name) does not open other people's folders to it.
            StrategyExample(
                .example(chat: "556999872433"), .example(chat: "+55 (69) 9926-7344", sender: "Equipe Vendas"),
                expect: "other_chat"),
            StrategyExample(
                .example(chat: "556999267344"), .example(chat: "5569999267344@c.us"), expect: "ninth_digit"),
            StrategyExample(.example(chat: "5569999267344"), .example(chat: "556999267344"), expect: "ninth_digit"),
            StrategyExample(
                .example(chat: "5569999267344"),
                .example(chat: "556999267344"),
                configuration: "ninth_digit: false",
                expect: "other_chat"
            ),
            StrategyExample(
                .example(chat: "556999872433"), .example(chat: "556999267344@s.whatsapp.net"), expect: "other_chat"),
            StrategyExample(
                .example(chat: "556999872433"),
                .example(chat: "556999267344@s.whatsapp.net"),
                allowCrossChat: true,
                expect: "other_chat_allowed"
            ),
            StrategyExample(
                .example(chat: "556999872433"),
                .example(chat: "120363025246125486@g.us", sender: "556999872433@s.whatsapp.net"),
                expect: "sender_folder"
            ),
            StrategyExample(
                .example(chat: "556999872433"),
                .example(chat: "120363025246125486@g.us", sender: "556999872433@s.whatsapp.net"),
                configuration: "group_sender_folders: false",
                expect: "other_chat"
            ),
            StrategyExample(
                .example(chat: "556999872433"),
                .example(chat: "120363025246125486@g.us", sender: "Equipe Vendas"),
                expect: "unnamed_sender"
            ),
            StrategyExample(
                .example(chat: "556999872433"),
                .example(chat: "120363025246125486@g.us", sender: "Equipe Vendas"),
                configuration: "group_sender_folders: false",
                expect: "other_chat"
            ),
            StrategyExample(
                .example(chat: "120363999999999999"),
                .example(chat: "120363025246125486@g.us", sender: "Equipe Vendas"),
                expect: "other_chat"
            ),
            StrategyExample(
                .example(chat: "556992884107"),
                .example(chat: "556999267344@s.whatsapp.net", fromMe: true),
                calibration: InstanceCalibration(
                    hashDerivations: [.idPrefix], clockOffset: -10_800, ownNumberFolder: "556992884107"),
                expect: "own_number"
            ),
            StrategyExample(
                .example(chat: "120363025246125486"),
                .example(chat: "120363025246125486@g.us"),
                expect: "same"
            ),
        ],
        configurationExamples: [
            .decodes(
                "ninth_digit: false\ngroup_sender_folders: false\nown_number_folder: false",
                to: ChatIDConfiguration.with {
                    $0.ninthDigit = false
                    $0.groupSenderFolders = false
                    $0.ownNumberFolder = false
                }
            ),
            .rejects("ninth_digit: perhaps", naming: "ninth_digit", saying: "expected true or false"),
        ]
    )

    public let configuration: ChatIDConfiguration

    public init(configuration: ChatIDConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        let relation = ChatRelation(file: file, message: message, ownNumberFolder: context.calibration.ownNumberFolder)
        let level: Level
        switch relation {
        case .same: level = .same
        case .ninthDigit: level = configuration.ninthDigit ? .ninthDigit : .otherChat
        case .senderFolder: level = configuration.groupSenderFolders ? .senderFolder : .otherChat
        case .ownNumber: level = configuration.ownNumberFolder ? .ownNumber : .otherChat
        case .unnamedSender: level = configuration.groupSenderFolders ? .unnamedSender : .otherChat
        case .different: level = .otherChat
        }
        if level == .otherChat && context.allowCrossChat { return Finding(.otherChatAllowed) }
        return Finding(level)
    }
}
