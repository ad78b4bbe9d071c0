/// What `audiosync generate` makes.
public struct GeneratorOptions: Sendable {
    /// The folder to write into; it must not exist or be empty.
    public var outputFolder: String
    public var chats = 40
    public var messages = 2_000
    /// Files in the store, re-downloads and orphans included.
    public var files = 600
    public var seed: UInt64 = 1
    public var defects: Set<Defect> = []
    /// Draw a whole deployment from the seed (its clocks, naming, back-fills, transcodes, own-number
    /// folders, missing fields) instead of the fixed shares of ``defects``; see ``Deployment``.
    public var world = false
    /// A `postgres://` URL of an empty database to write the messages into instead of
    /// `messages.sqlite` (the spec's tables are created there).
    public var postgresURL: String?
    /// With ``postgresURL``: `conteudo` as `jsonb` rather than `text`.
    public var jsonbConteudo = false

    public init(outputFolder: String) {
        self.outputFolder = outputFolder
    }

    /// Where the parts go inside ``outputFolder``.
    public var mediaRoot: String { outputFolder + "/media" }
    public var databasePath: String { outputFolder + "/messages.sqlite" }
    /// What `--database` is given to read the store back.
    public var databaseLocation: String { postgresURL ?? databasePath }
    public var truthPath: String { outputFolder + "/truth.csv" }
    /// The deployment the store was made from, as JSON.
    public var worldPath: String { outputFolder + "/world.json" }
}
