import ArgumentParser
import MediaStore
import Sync

extension AudioSync {
    /// `audiosync scan`: lists a media store's audio files with what their names and bytes say.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the audio files of a media store with their folders, name token, format and duration.",
            discussion: """
                Walks <client>/instance_<id>/chats/<chat>/[<kind>/]<file> under the media root, \
                sniffs each audio file's format from its bytes and reads its duration on all cores. \
                Probes are cached (by path, size and mtime), so a second scan reads no audio bytes. \
                Prints one line per file and a summary; progress goes to stderr when it is a terminal. \
                Text lines are tab-separated: path, format, duration (~ marks an estimate), size, \
                problem, token, name time. JSON lines carry client, instance, chat and kind as well.
                """
        )

        @OptionGroup(title: "Store") var store: MediaRootOptions
        @OptionGroup(title: "Scope") var scope: FolderScopeOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: ListingOptions

        func run() async throws {
            try await CommandContext.run("scan") { context in
                let scanner = store.location(cache: cache).scanner(logger: context.logger)
                let result = try scanner.scan(
                    scope: ScanScope(clientFolder: scope.client, instanceID: scope.instance),
                    progress: context.scanProgress)
                context.endProgress()
                switch output.format {
                case .text:
                    Terminal.printLines(result.files.lazy.map(ScanResult.textLine))
                    Terminal.print(result.summaryText)
                case .jsonl:
                    try Terminal.printJSONLines(result.fileLines)
                    try Terminal.printJSONLines(CollectionOfOne(result.summaryLine))
                }
            }
        }
    }
}

/// `scan`'s `--client` and `--instance`: folders, since a scan reads no database that could turn
/// a client id into a folder (``ScopeOptions`` is the other commands').
struct FolderScopeOptions: ParsableArguments {
    @Option(help: "Only this client: its folder or its name (accents, case and underscores aside).")
    var client: String?

    @Option(help: "Only this instance id (without 'instance_').")
    var instance: String?
}

/// `scan`'s `--format`: a listing rather than one document, so lines of text or of JSON.
struct ListingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case jsonl
    }

    @Option(help: "How to print the files.")
    var format: Format = .text
}
