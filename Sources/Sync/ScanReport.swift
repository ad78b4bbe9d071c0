public import MediaStore

/// `scan --json`: the files and the summary as one document (`--format jsonl` streams the same
/// records a line each, for stores too large to hold in one document).
public struct ScanReport: Sendable, Encodable {
    public var schemaVersion = 1
    public var mediaRoot: String
    public var files: [ScanResult.FileLine]
    public var summary: ScanResult.SummaryLine

    public init(mediaRoot: String, scan: ScanResult) {
        self.mediaRoot = mediaRoot
        files = Array(scan.fileLines)
        summary = scan.summaryLine
    }
}
