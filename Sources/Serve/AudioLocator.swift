import AudioProbe
import MessageStore

/// Finds the file that a message's `localPath` names — that file or none, never a guess.
struct AudioLocator: Sendable {
    let root: MediaRoot
    let scope: MessageScope

    /// A file found, ready to serve.
    struct Found: Sendable {
        var file: MediaRoot.Resolved
        var mediaType: String
    }

    /// Why no file is served: the case a 404 (or 400) body names.
    enum Miss: String, Sendable, Error {
        case badID = "bad_id"
        case noMessage = "no_message"
        case notAudio = "not_audio"
        case unreadableMessage = "unreadable_message"
        case noLink = "no_link"
        case unsafePath = "unsafe_path"
        case missingFile = "missing_file"
        case outsideRoot = "outside_root"
        case notAFile = "not_a_file"
        case notAudioFile = "not_audio_file"

        var message: String {
            switch self {
            case .badID: "the id is not a core_mensagem.id"
            case .noMessage: "no message with this id"
            case .notAudio: "the message is not an audio message"
            case .unreadableMessage: "the message's conteudo cannot be read"
            case .noLink: "the message is linked to no file (audioMessage.localPath is not set)"
            case .unsafePath: "the message's localPath is not a plain path inside the media root"
            case .missingFile: "the file the message's localPath names is not in the media store"
            case .outsideRoot: "the message's localPath leads out of the media root through a symbolic link"
            case .notAFile: "the message's localPath names a folder or another non-file"
            case .notAudioFile: "the file the message's localPath names holds no audio format audiosync knows"
            }
        }
    }

    /// The file of message `id`, or why there is none.
    func locate(messageID text: String, in store: any MessageDatabase) async throws -> Result<Found, Miss> {
        guard let rowID = Int64(text), rowID > 0 else { return .failure(.badID) }
        guard let record = try await store.messageLink(ofRow: rowID, scope: scope) else {
            return .failure(.noMessage)
        }
        switch record.content {
        case .notAudio: return .failure(.notAudio)
        case .unreadable: return .failure(.unreadableMessage)
        case .unlinked: return .failure(.noLink)
        case .linked(let localPath): return locate(path: localPath)
        }
    }

    /// A stored path, resolved and sniffed.
    func locate(path: String) -> Result<Found, Miss> {
        switch root.resolve(path) {
        case .failure(.unsafePath): return .failure(.unsafePath)
        case .failure(.missing): return .failure(.missingFile)
        case .failure(.outsideRoot): return .failure(.outsideRoot)
        case .failure(.notAFile): return .failure(.notAFile)
        case .success(let file):
            guard let sniffed = AudioContentType.sniff(absolutePath: file.absolutePath) else {
                return .failure(.notAudioFile)
            }
            return .success(Found(file: file, mediaType: sniffed.mediaType))
        }
    }
}
