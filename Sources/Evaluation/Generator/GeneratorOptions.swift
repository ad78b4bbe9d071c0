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

    public init(outputFolder: String) {
        self.outputFolder = outputFolder
    }

    /// Where the parts go inside ``outputFolder``.
    public var mediaRoot: String { outputFolder + "/media" }
    public var databasePath: String { outputFolder + "/messages.sqlite" }
    public var truthPath: String { outputFolder + "/truth.csv" }
}
