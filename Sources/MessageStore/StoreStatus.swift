/// Counts of a scope's audio messages and their links.
public struct StoreStatus: Sendable, Hashable, Codable {
    /// Audio rows in scope, usable or not.
    public var audioRows: Int
    /// Rows that became messages.
    public var audioMessages: Int
    /// The messages' `localPath` values, in row order: claims that some file is their voice note.
    public var claims: [LinkClaim]
    /// The load's report (unusable rows by reason).
    public var report: LoadReport

    public init(audioRows: Int, audioMessages: Int, claims: [LinkClaim], report: LoadReport) {
        self.audioRows = audioRows
        self.audioMessages = audioMessages
        self.claims = claims
        self.report = report
    }

    /// Messages whose `conteudo` holds a `localPath`.
    public var withLocalPath: Int { claims.count }
}
