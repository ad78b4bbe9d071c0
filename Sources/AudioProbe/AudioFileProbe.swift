#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an audio file's format and duration, reading only what it needs.
///
/// Ogg Opus and Ogg Vorbis go through the C shim: first the fast path (libogg pages, no decoder:
/// the first 4 KiB and the last 64 KiB), then libopusfile/libvorbisfile when the fast path
/// declines (chained streams, damage). MP3, MP4 and WAV are parsed in Swift (bounds-checked,
/// chunked). Nothing here throws: a file that cannot be read gives a result with a `failure`.
///
/// ```swift
/// let result = AudioFileProbe.probe(path: "/media/…/msg_81585468_20250811_110317.ogg")
/// result.duration  // 7.42
/// ```
public enum AudioFileProbe {
    /// How much a probe reads.
    public struct Options: Sendable, Hashable {
        /// Bytes read at the start: headers and the first audio page.
        public var headSize = 4 * 1024
        /// Bytes read at the end: the last Ogg page (at most 65 307 bytes).
        public var tailSize = 64 * 1024
        /// `false` sends Ogg streams straight to libopusfile/libvorbisfile (for tests and benchmarks).
        public var oggFastPath = true

        public init() {}
    }

    /// Probes the file at `path` (not following a final symbolic link).
    public static func probe(path: String, options: Options = Options()) -> ProbeResult {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return ProbeResult(format: .unknown, failure: .read(errno: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return ProbeResult(format: .unknown, failure: .read(errno: errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return ProbeResult(format: .unknown, failure: .notFormat) }
        return probe(fileDescriptor: fd, size: Int64(info.st_size), options: options)
    }

    /// Durations above this (about 116 days) come from hostile or broken headers, not from audio.
    public static let maximumPlausibleDuration: Double = 10_000_000

    /// Probes an open regular file of `size` bytes. The descriptor is read with `pread` and left open.
    public static func probe(fileDescriptor: Int32, size: Int64, options: Options = Options()) -> ProbeResult {
        var result = probeUnchecked(fileDescriptor: fileDescriptor, size: size, options: options)
        if let duration = result.duration, !(duration.isFinite && duration >= 0 && duration <= maximumPlausibleDuration)
        {
            result = ProbeResult(format: result.format, failure: .badHeader)
        }
        return result
    }

    private static func probeUnchecked(fileDescriptor: Int32, size: Int64, options: Options) -> ProbeResult {
        guard size > 0 else { return ProbeResult(format: .unknown, failure: .empty) }
        let file = RandomAccessFile(descriptor: fileDescriptor, size: size)
        // A small file is read once, whole: the head and the tail are the same bytes.
        let whole = size <= Int64(options.headSize + options.tailSize)
        let head: [UInt8]
        do {
            head = try file.read(at: 0, count: whole ? Int(size) : options.headSize)
        } catch {
            return ProbeResult(format: .unknown, failure: error)
        }
        if head.isEmpty { return ProbeResult(format: .unknown, failure: .empty) }
        let format = ContainerFormat.sniff(head)
        do {
            let reading: DurationReading
            switch format {
            case .oggOpus, .oggVorbis:
                return probeOgg(file, format: format, head: head, whole: whole, options: options)
            case .mp3: reading = try MP3Reader.read(file, head: head)
            case .mp4: reading = try MP4Reader.read(file)
            case .adts: reading = try ADTSReader.read(file)
            case .wav: reading = try WAVReader.read(file)
            case .oggOther, .unknown: return ProbeResult(format: format, failure: .notFormat)
            }
            return ProbeResult(
                format: format,
                duration: reading.seconds,
                durationIsEstimate: reading.isEstimate,
                damage: reading.damage,
                method: reading.method
            )
        } catch {
            return ProbeResult(format: format, failure: error)
        }
    }

    private static func probeOgg(
        _ file: RandomAccessFile,
        format: ContainerFormat,
        head: [UInt8],
        whole: Bool,
        options: Options
    ) -> ProbeResult {
        let codec: OggStreamInfo.Codec = format == .oggOpus ? .opus : .vorbis
        var facts = OggTailFacts()
        var fastFailure: AudioProbeError?
        if options.oggFastPath {
            do {
                let tailOffset = whole ? 0 : file.size - Int64(options.tailSize)
                let tail = whole ? head : try file.read(at: tailOffset, count: options.tailSize)
                var (result, seen) = fast(head: head, tail: tail, tailOffset: tailOffset)
                if case .failure = result, seen.contains(.headTooShort) {
                    // Long tags (a cover picture) push the first audio page out of the head.
                    let longer = try file.read(at: 0, count: max(options.tailSize, 4 * options.headSize))
                    (result, seen) = fast(head: longer, tail: tail, tailOffset: tailOffset)
                }
                facts = seen
                switch result {
                case .success(let info): return ogg(format, info, facts: facts, method: .oggPages)
                case .failure(let error): fastFailure = error
                }
            } catch {
                return ProbeResult(format: format, failure: error)
            }
        }
        switch OggProbe.reference(codec: codec, fileDescriptor: file.descriptor, size: file.size) {
        case .success(let info):
            return ogg(format, info, facts: facts.union(info.tail), method: .oggReference)
        case .failure(let error):
            let cut = facts.contains(.partialPage) || fastFailure == .truncated
            return ProbeResult(format: format, damage: cut ? .truncated : nil, failure: cut ? .truncated : error)
        }
    }

    private static func fast(
        head: [UInt8],
        tail: [UInt8],
        tailOffset: Int64
    ) -> (Result<OggStreamInfo, AudioProbeError>, OggTailFacts) {
        head.withUnsafeBytes { h in
            tail.withUnsafeBytes { t in OggProbe.fast(head: h, tail: t, tailOffset: tailOffset) }
        }
    }

    /// The result for an Ogg stream, with what the tail showed turned into damage.
    private static func ogg(
        _ format: ContainerFormat,
        _ info: OggStreamInfo,
        facts: OggTailFacts,
        method: ProbeMethod
    ) -> ProbeResult {
        var result = ProbeResult(format: format, duration: info.seconds, method: method)
        if facts.contains(.chained) && info.links < 2 {
            // Another stream follows that the library did not count as a link (a file
            // concatenated with itself repeats its serial number): the duration covers one part.
            result.damage = .corrupt
            result.durationIsEstimate = true
        } else if facts.contains(.partialPage) {
            result.damage = .truncated
            result.durationIsEstimate = true
        } else if facts.contains(.untimedTail) {
            result.damage = .untimedTail
            result.durationIsEstimate = true
        } else if facts.contains(.skippedBytes) {
            result.damage = .corrupt
            result.durationIsEstimate = true
        } else if facts.contains(.trailingBytes) {
            result.damage = .trailingBytes
        }
        return result
    }
}
