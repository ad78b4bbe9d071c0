import ArgumentParser
import MatchEngine
import Sync

extension AudioSync {
    /// `audiosync explain`.
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show why a file or a message was (or was not) linked: every candidate and its waterfall.",
            discussion: CommandHelp.discussion(
                """
                Shows the decision a sync would make, what the database holds about the message \
                (chat, sender, time, declared length and hash) or what the scan found in the file \
                (format, duration, size, and what is wrong with it), then each candidate pair as a \
                waterfall: the prior, each strategy's level, bits and weight, the total.
                """,
                examples: [
                    ("Why is message 1234 linked (or not)?", "audiosync explain --message 1234"),
                    (
                        "Why was this file left alone?",
                        "audiosync explain --file Elizeu_Batiliere_Dos_Santos/instance_3B6X/chats/5569/audio/msg_9D07958D_20250809_175143.ogg"
                    ),
                ],
                exitCodes: CommandHelp.storeCodes)
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Option(help: ArgumentHelp("Explain this message (core_mensagem.id).", valueName: "id"))
        var message: Int64?

        @Option(help: ArgumentHelp("Explain this file (its path relative to the media root).", valueName: "path"))
        var file: String?

        func validate() throws {
            guard (message == nil) != (file == nil) else {
                throw ValidationError("Give exactly one of --message ID or --file PATH.")
            }
        }

        func run() async throws {
            try await CommandContext.run("explain", general) { context in
                let settings = try context.settings(Settings.Flags(store: store, scope: scope, profile: profile))
                let runner = ExplainRunner(
                    database: try settings.database(),
                    media: try settings.media(cache: cache),
                    profile: try settings.profile(),
                    logger: context.logger
                )
                let subject: Matcher.Subject =
                    message.map { .message(rowID: $0) } ?? .file(path: normalisedLocalPath(file!))
                let report = try await runner.run(subject, progress: context.progress)
                try context.print(report, as: output) { report.text }
            }
        }
    }
}
