/// Why a scan passed over a file without making it an ``MatchEngine/AudioFile``.
public enum SkipReason: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// An extension that is not audio (`jpg`, `pdf`, `mp4`, `json`, none).
    case notAudioExtension = "not_audio_extension"
    /// A `.part` leftover of an interrupted download.
    case partialDownload = "partial_download"
    /// A `temp_*` leftover of an interrupted download.
    case temporaryFile = "temporary_file"
    /// A symbolic link that resolves outside the media root (or nowhere).
    case symlinkOutsideRoot = "symlink_outside_root"
    /// A symbolic link to a folder: not followed, so no folder is walked twice or in a loop.
    case symlinkedFolder = "symlinked_folder"
    /// A path that is not `<client>/instance_<id>/chats/<chat>/[<kind>/]<file>`.
    case unrecognizedLayout = "unrecognized_layout"
    /// A FIFO, socket or device.
    case notRegularFile = "not_regular_file"
    /// An audio file whose name, or a folder's on its path, is not valid UTF-8: no `localPath`
    /// (a JSON string) can name it byte for byte, so it is never linked under a lossy spelling.
    case nameNotUTF8 = "name_not_utf8"
    /// A folder that could not be opened (its files are not counted).
    case unreadableFolder = "unreadable_folder"
    /// A file `watch` saw arrive that has not settled yet (still written, or changed within
    /// `--settle`): left for a later batch, so the files that have settled need not wait for it.
    case stillArriving = "still_arriving"

    public static func < (lhs: SkipReason, rhs: SkipReason) -> Bool { lhs.rawValue < rhs.rawValue }
}
