/// `audiosync profile show`: the profile a sync would use, as YAML that `--profile` reads back.
public struct ProfileReport: Sendable, Encodable {
    public var schemaVersion = 1
    /// `built-in`, or the file's path.
    public var source: String
    /// The profile's text: the built-in profile with its comments, or the file as written.
    public var yaml: String

    public init(source: String, yaml: String) {
        self.source = source
        self.yaml = yaml
    }
}
