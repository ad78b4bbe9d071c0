public import MatchEngine

/// The profile a command matches with, and how its reports name where it came from.
public struct ProfileChoice: Sendable {
    /// The weights and thresholds.
    public var profile: Profile
    /// Where the profile came from, for the report (`built-in default …` or a path).
    public var source: String
    /// What the profile was read from (its YAML text), or a name for a built-in one: what an
    /// incremental sync compares to tell the profile has not changed. `nil` (a profile built in
    /// code) leaves nothing to compare, so every sync does the whole work.
    public var content: String?

    public init(_ profile: Profile, source: String, content: String? = nil) {
        self.profile = profile
        self.source = source
        self.content = content
    }
}
