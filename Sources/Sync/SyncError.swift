/// Why a sync-side command could not answer.
public enum SyncError: Error, Sendable, CustomStringConvertible {
    case notFound(String)

    public var description: String {
        switch self {
        case let .notFound(message): message
        }
    }
}
