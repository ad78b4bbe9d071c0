import MatchEngine

extension ChangeSet.Change.Action {
    /// The label the journal stores in `audiosync_change.action` (its schema allows these two only).
    var journalName: String {
        switch self {
        case .link: "link"
        case .unlink: "remove_link"
        }
    }
}
