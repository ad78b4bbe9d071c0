import AudioProbe
import MatchEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A probe's answer in the engine's terms (what the cache stores).
struct ProbeOutcome: Sendable, Hashable {
    var format: AudioFormat
    var duration: Double?
    var durationIsEstimate: Bool
    var problem: FileProblem?
    /// Known only from the cache, where an earlier sync stored it.
    var sha256: ContentDigest? = nil

    /// Opens the candidate (never through a final symbolic link, never blocking on a FIFO) and probes it.
    static func probe(path: [CChar], fileExtension: String) -> ProbeOutcome {
        probe(opened: open(path, flags), fileExtension: fileExtension)
    }

    /// The file `name` of the open folder `directory`: the kernel resolves one name, not the
    /// whole path (a scan opens every file of a folder one after another).
    static func probe(name: [CChar], in directory: Int32, fileExtension: String) -> ProbeOutcome {
        probe(opened: openat(directory, name, flags), fileExtension: fileExtension)
    }

    /// Read only, never through a link, never waiting on a FIFO swapped in since the walk.
    private static let flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK

    private static func probe(opened fd: Int32, fileExtension: String) -> ProbeOutcome {
        guard fd >= 0 else {
            return ProbeOutcome(format: .unknown, duration: nil, durationIsEstimate: false, problem: .unreadable)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return ProbeOutcome(format: .unknown, duration: nil, durationIsEstimate: false, problem: .unreadable)
        }
        let result = AudioFileProbe.probe(fileDescriptor: fd, size: Int64(info.st_size))
        return ProbeOutcome(result, fileExtension: fileExtension)
    }

    /// Maps a probe result: the worst problem wins (fatal, then truncated, damaged, extension).
    init(_ result: ProbeResult, fileExtension: String) {
        format = Self.format(result.format)
        duration = result.duration
        durationIsEstimate = result.durationIsEstimate
        switch result.failure {
        case .empty?: problem = .empty
        // A system error (errno) means the file could not be read; the libraries' own read
        // failures (errno 0: data they saw once is gone) mean damage.
        case .read(let code)? where code != 0: problem = .unreadable
        case .truncated?: problem = .truncated
        case .some: problem = format == .unknown ? .notAudio : .damaged
        case nil:
            switch result.damage {
            case .truncated?: problem = .truncated
            case .corrupt?, .untimedTail?, .trailingBytes?: problem = .damaged
            case nil:
                problem = Self.extensionLies(format: format, extension: fileExtension) ? .extensionMismatch : nil
            }
        }
        if format == .unknown && problem == nil { problem = .notAudio }
    }

    init(
        format: AudioFormat,
        duration: Double?,
        durationIsEstimate: Bool,
        problem: FileProblem?,
        sha256: ContentDigest? = nil
    ) {
        self.sha256 = sha256
        self.format = format
        self.duration = duration
        self.durationIsEstimate = durationIsEstimate
        self.problem = problem
    }

    /// The engine's format for a container. Raw ADTS AAC joins `mp4`, the engine's AAC family
    /// (as `AudioFormat(mimetype: "audio/aac")` does); other Ogg codecs are not audio we read.
    static func format(_ container: ContainerFormat) -> AudioFormat {
        switch container {
        case .oggOpus: .oggOpus
        case .oggVorbis: .oggVorbis
        case .mp3: .mp3
        case .mp4, .adts: .mp4
        case .wav: .wav
        case .oggOther, .unknown: .unknown
        }
    }

    /// Whether the extension names another format than the bytes hold.
    static func extensionLies(format: AudioFormat, extension ext: String) -> Bool {
        switch format {
        case .oggOpus, .oggVorbis: !["ogg", "oga", "opus"].contains(ext)
        case .mp3: ext != "mp3"
        case .mp4: !["m4a", "aac", "mp4"].contains(ext)
        case .wav: ext != "wav"
        case .unknown: false
        }
    }
}
