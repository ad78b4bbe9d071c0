/// What a sync does to one message's `conteudo` (spec §3).
public enum LinkAction: Sendable, Hashable, Codable {
    /// Set `audioMessage.localPath` (relative to the media root, with `/`) and `audioMessage.localUrl`.
    case link(localPath: String, localUrl: String)
    /// Remove both keys: the claim was found wrong (a repair).
    case removeLink

    /// The URL the front end plays a linked file from unless told otherwise:
    /// `/api/audio/hash-mapping/<core_mensagem.id>/`.
    public static func defaultLocalUrl(rowID: Int64) -> String {
        "/api/audio/hash-mapping/\(rowID)/"
    }

    /// The label the journal stores in `audiosync_change.action`.
    var journalName: String {
        switch self {
        case .link: "link"
        case .removeLink: "remove_link"
        }
    }
}
