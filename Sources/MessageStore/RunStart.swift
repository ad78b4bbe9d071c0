/// What the journal records about a run when it begins.
public struct RunStart: Sendable, Hashable, Codable {
    /// The command line or command name (`sync`, `sync --repair`).
    public var command: String
    /// The media root the links are relative to.
    public var mediaRoot: String?
    /// The run's options, stored as JSON in `audiosync_run.options`.
    public var options: RunOptions
    /// The tool's version.
    public var toolVersion: String

    public init(command: String, mediaRoot: String? = nil, options: RunOptions, toolVersion: String) {
        self.command = command
        self.mediaRoot = mediaRoot
        self.options = options
        self.toolVersion = toolVersion
    }
}
