/// A `localPath` that a message's `conteudo` already holds: a claim that some file is its voice note.
public struct LinkClaim: Sendable, Hashable, Codable {
    /// `core_mensagem.id`.
    public var rowID: Int64
    /// `audioMessage.localPath`, relative to the media root.
    public var localPath: String

    public init(rowID: Int64, localPath: String) {
        self.rowID = rowID
        self.localPath = localPath
    }
}
