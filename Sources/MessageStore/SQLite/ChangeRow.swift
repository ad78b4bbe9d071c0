import GRDB

/// One row of `audiosync_change`: a row the run rewrote, with the text before and after.
struct ChangeRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audiosync_change"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let runID = Column(CodingKeys.runID)
        static let undoneAt = Column(CodingKeys.undoneAt)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case runID = "run_id"
        case messageID = "message_id"
        case action
        case reason
        case oldConteudo = "old_conteudo"
        case newConteudo = "new_conteudo"
        case appliedAt = "applied_at"
        case undoneAt = "undone_at"
    }

    var id: Int64?
    var runID: Int64
    var messageID: Int64
    var action: String
    var reason: String
    var oldConteudo: String
    var newConteudo: String
    var appliedAt: Int64
    var undoneAt: Int64?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
