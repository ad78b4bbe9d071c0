internal import CStoreFixtures

/// Why libopus refused to encode or to read a packet.
///
/// The C shim's status codes map to these cases through one function, ``init(status:)``.
public enum OpusError: Error, Sendable, Hashable {
    /// A call got an invalid argument (`OPUS_BAD_ARG`): a rate, a channel count or a frame size
    /// libopus does not take, or an empty packet.
    case invalidArgument
    /// A packet is malformed (`OPUS_INVALID_PACKET`).
    case badPacket
    /// The library failed inside, or an allocation failed.
    case fault
    /// A feature libopus does not implement (`OPUS_UNIMPLEMENTED`).
    case notImplemented
    /// The output buffer was too small (`OPUS_BUFFER_TOO_SMALL`).
    case bufferTooSmall
    /// A status code the wrapper does not know.
    case unknown(code: Int32)

    /// The one mapping from a shim status to an error; `nil` for `AUDIOSYNC_FIXTURE_OK` and positive values.
    init?(status: Int32) {
        switch status {
        case _ where status >= 0: return nil
        case AUDIOSYNC_FIXTURE_ERR_INVAL.rawValue: self = .invalidArgument
        case AUDIOSYNC_FIXTURE_ERR_BAD_PACKET.rawValue: self = .badPacket
        case AUDIOSYNC_FIXTURE_ERR_FAULT.rawValue, AUDIOSYNC_FIXTURE_ERR_NO_MEMORY.rawValue: self = .fault
        case AUDIOSYNC_FIXTURE_ERR_IMPL.rawValue: self = .notImplemented
        case AUDIOSYNC_FIXTURE_ERR_BUFFER_TOO_SMALL.rawValue: self = .bufferTooSmall
        default: self = .unknown(code: status)
        }
    }

    /// Throws the error a shim status stands for; returns non-negative values unchanged.
    @discardableResult
    static func check(_ status: Int32) throws(OpusError) -> Int32 {
        if let error = OpusError(status: status) { throw error }
        return status
    }
}
