/// Counts of a scope's audio messages and their links.
public struct StoreStatus: Sendable, Hashable, Codable {
    /// Audio rows in scope, usable or not.
    public var audioRows: Int
    /// Rows that became messages.
    public var audioMessages: Int
    /// Messages whose `conteudo` holds a `localPath`.
    public var withLocalPath: Int
    /// The load's report (unusable rows by reason).
    public var report: LoadReport

    public init(audioRows: Int, audioMessages: Int, withLocalPath: Int, report: LoadReport) {
        self.audioRows = audioRows
        self.audioMessages = audioMessages
        self.withLocalPath = withLocalPath
        self.report = report
    }
}
