import AudioProbe
import MessageStore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the file that a message's `localPath` names — that file or none, never a guess.
struct AudioLocator: Sendable {
    let root: MediaRoot
    let scope: MessageScope

    /// A file found, ready to serve.
    struct Found: Sendable {
        var file: MediaRoot.Resolved
        var mediaType: String
        /// The whole file, when it is small enough to be read at once (a voice note is): sniffed
        /// and served from one read. `nil` for a large file, which is sniffed by its head and
        /// streamed.
        var contents: ByteBuffer?
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
            guard let read = Self.read(file) else { return .failure(.notAudioFile) }
            guard let sniffed = AudioContentType.sniff(head: read.head.readableBytesView) else {
                return .failure(.notAudioFile)
            }
            return .success(Found(file: file, mediaType: sniffed.mediaType, contents: read.whole))
        }
    }

    /// The most a request reads at once, on the thread that handles it: a minute of WhatsApp Opus
    /// is about 120 KB. A larger file is streamed in chunks through NIO's thread pool.
    static let wholeFileLimit: Int64 = 256 * 1024

    /// One open: the whole file when it is small (and still the size it was resolved at), else its
    /// first 512 bytes. `nil` when it cannot be opened (not following a final link: the caller
    /// resolved it).
    ///
    /// Why not NIO's file system for a voice note: its stat, open, read and close are each a hand-off
    /// to the thread pool and back; measured with `benchmarks/serve/compare.sh`, that made a note
    /// cost five times a 404, where three system calls here cost microseconds from the page cache.
    static func read(_ file: MediaRoot.Resolved) -> (head: ByteBuffer, whole: ByteBuffer?)? {
        let fd = open(file.absolutePath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let wanted = file.size <= wholeFileLimit ? Int(file.size) : 512
        var buffer = ByteBufferAllocator().buffer(capacity: wanted)
        while buffer.readableBytes < wanted {
            var result = 0
            let offset = buffer.readableBytes
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted - offset) { bytes in
                result = pread(fd, bytes.baseAddress!, wanted - offset, off_t(offset))
                return max(result, 0)
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { break }
        }
        let whole = file.size <= wholeFileLimit && buffer.readableBytes == Int(file.size)
        return (buffer, whole ? buffer : nil)
    }
}
