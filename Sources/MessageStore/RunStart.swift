/// What the journal records about a run when it begins.
public struct RunStart: Sendable, Hashable, Codable {
    /// The command line or command name (`sync`, `sync --repair`).
    public var command: String
    /// The media root the links are relative to.
    public var mediaRoot: String?
    /// The run's options, as JSON text.
    public var options: String
    /// The tool's version.
    public var toolVersion: String

    public init(command: String, mediaRoot: String? = nil, options: String = "{}", toolVersion: String) {
        self.command = command
        self.mediaRoot = mediaRoot
        self.options = options
        self.toolVersion = toolVersion
    }
}
