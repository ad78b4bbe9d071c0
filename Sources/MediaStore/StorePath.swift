/// The folders of a media file's path: `<client>/instance_<id>/chats/<chat>/[<kind>/]<file>`.
public struct StorePath: Sendable, Hashable {
    /// The client folder as written.
    public var clientFolder: String
    /// The id after `instance_`.
    public var instanceID: String
    /// The chat folder as written.
    public var chatFolder: String
    /// The kind folder of newer stores (`audio`, `image`, …); `nil` in the older layout.
    public var kind: String?
    /// The file's name.
    public var fileName: String

    public init(clientFolder: String, instanceID: String, chatFolder: String, kind: String?, fileName: String) {
        self.clientFolder = clientFolder
        self.instanceID = instanceID
        self.chatFolder = chatFolder
        self.kind = kind
        self.fileName = fileName
    }

    /// Parses a path relative to the media root, with `/` separators; `nil` for any other layout.
    ///
    /// ```swift
    /// StorePath(relativePath: "Ana/instance_3B6XIW/chats/556999267344/audio/msg_81585468_20250811_110317.ogg")
    /// // client "Ana", instance "3B6XIW", chat "556999267344", kind "audio"
    /// ```
    public init?(relativePath: String) {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5 || parts.count == 6, parts.allSatisfy({ !$0.isEmpty }),
            parts[1].hasPrefix("instance_"), parts[1].count > "instance_".count, parts[2] == "chats"
        else { return nil }
        self.init(
            clientFolder: String(parts[0]),
            instanceID: String(parts[1].dropFirst("instance_".count)),
            chatFolder: String(parts[3]),
            kind: parts.count == 6 ? String(parts[4]) : nil,
            fileName: String(parts[parts.count - 1])
        )
    }
}
