public import MatchEngine

/// The profile a command matches with, and how its reports name where it came from.
public struct ProfileChoice: Sendable {
    /// The weights and thresholds.
    public var profile: Profile
    /// Where the profile came from, for the report (`built-in default …` or a path).
    public var source: String

    public init(_ profile: Profile, source: String) {
        self.profile = profile
        self.source = source
    }
}
