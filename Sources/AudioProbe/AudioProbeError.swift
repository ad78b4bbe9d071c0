internal import CAudioProbe

/// Why a file's duration could not be read.
///
/// The C shim's status codes (which follow libopusfile's `OP_E*` set) map to these cases through
/// one function, ``init(status:)``; the Swift readers throw the same cases.
public enum AudioProbeError: Error, Sendable, Hashable {
    /// A read failed; `errno` when the system gave one.
    case read(errno: Int32)
    /// The library failed inside (`OP_EFAULT`) or an allocation failed.
    case fault
    /// The stream uses a feature the library does not implement (`OP_EIMPL`).
    case notImplemented
    /// A call got an invalid argument (`OP_EINVAL`): a bug on our side, not in the file.
    case invalidArgument
    /// The bytes are not this format at all (`OP_ENOTFORMAT`, no frame sync, no `moov`).
    case notFormat
    /// A header is malformed or missing (`OP_EBADHEADER`).
    case badHeader
    /// A header names a version we cannot read (`OP_EVERSION`).
    case unsupportedVersion
    /// Data seen before vanished on a second look (`OP_EBADLINK`).
    case badLink
    /// The first or last timestamp is invalid (`OP_EBADTIMESTAMP`).
    case badTimestamp
    /// A packet is malformed (`OP_EBADPACKET`).
    case badPacket
    /// The fast path does not cover this stream; the reference path must decide.
    case needsReferencePath
    /// The data ends before the headers do.
    case truncated
    /// The file has no bytes.
    case empty
    /// A status code the wrapper does not know.
    case unknown(code: Int32)

    /// The one mapping from a shim status to an error; `nil` for `AUDIOSYNC_OK` and positive values.
    init?(status: Int32) {
        switch status {
        case _ where status >= 0: return nil
        case AUDIOSYNC_ERR_READ.rawValue: self = .read(errno: 0)
        case AUDIOSYNC_ERR_FAULT.rawValue, AUDIOSYNC_ERR_NO_MEMORY.rawValue: self = .fault
        case AUDIOSYNC_ERR_IMPL.rawValue: self = .notImplemented
        case AUDIOSYNC_ERR_INVAL.rawValue: self = .invalidArgument
        case AUDIOSYNC_ERR_NOT_FORMAT.rawValue: self = .notFormat
        case AUDIOSYNC_ERR_BAD_HEADER.rawValue: self = .badHeader
        case AUDIOSYNC_ERR_VERSION.rawValue: self = .unsupportedVersion
        case AUDIOSYNC_ERR_BAD_LINK.rawValue: self = .badLink
        case AUDIOSYNC_ERR_BAD_TIMESTAMP.rawValue: self = .badTimestamp
        case AUDIOSYNC_ERR_BAD_PACKET.rawValue: self = .badPacket
        case AUDIOSYNC_ERR_UNSUPPORTED.rawValue: self = .needsReferencePath
        case AUDIOSYNC_ERR_TRUNCATED.rawValue: self = .truncated
        default: self = .unknown(code: status)
        }
    }

    /// Throws the error a shim status stands for; returns non-negative values unchanged.
    @discardableResult
    static func check(_ status: Int32) throws(AudioProbeError) -> Int32 {
        if let error = AudioProbeError(status: status) { throw error }
        return status
    }
}
