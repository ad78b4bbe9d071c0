public import MatchEngine

/// Settings of ``ChatIDStrategy``.
public struct ChatIDConfiguration: StrategyConfiguration {
    /// Treat `55 DD 9 NNNN NNNN` and `55 DD NNNN NNNN` as one chat.
    public var ninthDigit = true
    /// Accept a group message's file under its sender's folder (and, when the row names no sender
    /// by number, under any person's folder, if the file's name token names the message).
    public var groupSenderFolders = true
    /// Accept a sent message's file under the instance's own number (when calibration found it).
    public var ownNumberFolder = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ninthDigit = "ninth_digit"
        case groupSenderFolders = "group_sender_folders"
        case ownNumberFolder = "own_number_folder"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&ninthDigit, .ninthDigit)
        try container.update(&groupSenderFolders, .groupSenderFolders)
        try container.update(&ownNumberFolder, .ownNumberFolder)
    }
}
