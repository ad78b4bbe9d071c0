import Foundation

// The text rendering of a generated store, for `generate`.

extension StoreGenerator.Summary {
    /// What was written, and where.
    public var text: String {
        """
        audiosync generate — \(files) files, \(audioMessages) audio messages in \(chats) chats \
        (\(clients) clients, \(instances) instances) in \(String(format: "%.1f", seconds)) s
          media root  \(mediaRoot)  (\(bytes / 1024) KiB)
          database    \(database)
          truth       \(truth)
          defects     \(defects.isEmpty ? "none" : defects.joined(separator: ", "))
        """
    }
}
