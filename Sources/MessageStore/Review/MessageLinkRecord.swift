/// One message row as the audio endpoint needs it: what kind of row it is and which file, if any,
/// its `conteudo` names. Read by ``MessageDatabase/messageLink(ofRow:scope:)``.
public struct MessageLinkRecord: Sendable, Hashable {
    /// What the row holds.
    public enum Content: Sendable, Hashable {
        /// An audio row whose `audioMessage.localPath` names a file (as written, not normalised).
        case linked(localPath: String)
        /// An audio row with no `localPath` (absent, `null` or empty).
        case unlinked
        /// An audio row whose `conteudo` a load would not use, with the reason it would count it under.
        case unreadable(UnusableReason)
        /// A row that is not an audio message (`tipo` is not `audio`).
        case notAudio(kind: String)
    }

    /// `core_mensagem.id`.
    public var rowID: Int64
    public var content: Content

    public init(rowID: Int64, content: Content) {
        self.rowID = rowID
        self.content = content
    }

    /// Reads a row's `tipo` and `conteudo` with the load's own validating reader, so the endpoint and
    /// a sync agree on every row (a nested `message.audioMessage`, a repeated key, malformed JSON).
    init(rowID: Int64, kind: String?, conteudo: String?) {
        self.rowID = rowID
        guard kind == "audio" else {
            content = .notAudio(kind: kind ?? "")
            return
        }
        guard var text = conteudo else {
            content = .unreadable(.emptyConteudo)
            return
        }
        var mimetypes = StringInterner()
        let read: Result<ConteudoFields, ConteudoProblem> = text.withUTF8 { bytes in
            do throws(ConteudoProblem) {
                return .success(try ConteudoFields.read(bytes, wantsKeyID: false, mimetypes: &mimetypes))
            } catch {
                // A legacy caption (`[Áudio]`, spec §2) is a voice note the load reads and a sync
                // may link: until then it is unlinked, not unreadable.
                if error == .nonJSON || error == .notAnObject, PlaceholderConteudo.isPlaceholder(bytes) {
                    return .success(ConteudoFields())
                }
                return .failure(error)
            }
        }
        switch read {
        case .success(let fields): content = fields.localPath.map { .linked(localPath: $0) } ?? .unlinked
        case .failure(let problem): content = .unreadable(UnusableReason(problem))
        }
    }
}
