import Foundation

/// The journal's notion of now: Unix seconds, UTC.
enum UnixClock {
    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970.rounded(.down))
    }
}
