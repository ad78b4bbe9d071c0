import ArgumentParser
import MatchEngine
import MessageStore
import Sync

extension AudioSync {
    /// `audiosync review list|accept|reject`: the review page's actions from a terminal.
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle the close calls of a sync from a terminal: list them, accept or reject a pair.",
            discussion: CommandHelp.discussion(
                """
                Each subcommand makes a fresh dry plan (as `sync --dry-run` would, rejections \
                respected) and acts on its review items: the files the plan sends to review, and the \
                existing links the evidence contradicts. `audiosync serve` shows the same items in a \
                browser, with players for the notes.
                """,
                examples: [
                    ("The close calls of the store in audiosync.yml", "audiosync review list"),
                    ("Link a file to a message", "audiosync review accept FILE MESSAGE"),
                    ("Never propose the pair again", "audiosync review reject FILE MESSAGE"),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .busy, .configuration]),
            subcommands: [List.self, Accept.self, Reject.self]
        )
    }
}

/// What every review subcommand takes: the store, the scope, the profile, the cache, the output.
struct ReviewOptions: ParsableArguments {
    @OptionGroup(title: "Store") var store: StoreOptions
    @OptionGroup(title: "Scope") var scope: ScopeOptions
    @OptionGroup(title: "Matching") var profile: ProfileOptions
    @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    @OptionGroup(title: "General") var general: GeneralOptions

    @OptionGroup var urlTemplate: URLTemplateOptions

    /// A session over a fresh dry plan.
    func session(context: CommandContext) async throws -> ReviewSession {
        let settings = try context.settings(
            Settings.Flags(store: store, scope: scope, profile: profile, urlTemplate: urlTemplate.urlTemplate))
        let session = ReviewSession(
            database: try settings.database(), media: try settings.media(cache: cache),
            profile: try settings.profile(), urlTemplate: try settings.required(.urlTemplate),
            source: "review command", logger: context.logger)
        do {
            try await session.refresh(progress: context.progress)
        } catch {
            try? await session.close()
            throw error
        }
        return session
    }
}

extension ReviewOptions {
    /// One decision on a fresh session, closed (its run finished) whether the decision stands or not.
    func decide(context: CommandContext, _ decision: (ReviewSession) async throws -> ReviewDecision)
        async throws -> ReviewDecision
    {
        let session = try await session(context: context)
        do {
            let made = try await decision(session)
            try await session.close()
            return made
        } catch {
            try? await session.close()
            throw error
        }
    }
}

/// FILE and MESSAGE of `accept` and `reject`.
struct PairArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp("The file, relative to the media root (as `review list` shows it).", valueName: "file"))
    var file: String

    @Argument(help: ArgumentHelp("The message (core_mensagem.id).", valueName: "message"))
    var message: Int64
}

extension AudioSync.Review {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the files a dry plan sends to review, with their candidates.",
            discussion: CommandHelp.discussion(
                """
                Reads only: the plan is made as `sync --dry-run` would make it, and nothing is \
                written. With --json, each candidate carries its waterfall (docs/json-output.md).
                """,
                examples: [
                    ("Every close call, as text", "audiosync review list"),
                    (
                        "The files of one client, for a script",
                        "audiosync review list --client 7 --json | jq -r '.items[] | .file.path'"
                    ),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .configuration])
        )

        @OptionGroup var options: ReviewOptions

        @Option(help: ArgumentHelp("Items listed (all of them by default).", valueName: "n"))
        var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit takes a count of 0 or more.") }
        }

        func run() async throws {
            try await CommandContext.run("review list", options.general) { context in
                let session = try await options.session(context: context)
                let page = await session.page(offset: 0, limit: limit ?? Int.max)
                try await session.close()
                let list = ReviewList(
                    mediaRoot: session.media.root, database: session.database.database,
                    profile: session.profile.source, page: page)
                try context.print(list, as: options.output) { list.text }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link FILE to MESSAGE: a pair the latest plan sends to review.",
            discussion: CommandHelp.discussion(
                """
                The message gets the file (replacing the one it held, if any) and any other message \
                holding the file lets it go, compare-and-swap, journalled under a run of its own: \
                `audiosync undo RUN` gives it back. A pair that is not under review is refused. \
                Exit status 1 when a row changed since the plan read it (nothing written for it).
                """,
                examples: [
                    (
                        "Link a note to message 48213",
                        "audiosync review accept Ana_Souza/instance_3B6XIW/chats/556999267344/audio/msg_A1B2C3D4_20240502_140311.ogg 48213"
                    ),
                    ("Give it back (RUN as the accept printed it)", "audiosync undo RUN"),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .busy, .configuration])
        )

        @OptionGroup var options: ReviewOptions
        @OptionGroup var pair: PairArguments

        func run() async throws {
            try await CommandContext.run("review accept", options.general) { context in
                let decision = try await options.decide(context: context) { session in
                    try await session.accept(file: normalisedLocalPath(pair.file), messageRowID: pair.message)
                }
                try context.print(decision, as: options.output) { decision.text }
                if !decision.skipped.isEmpty {
                    throw CommandFailure("the row changed since it was read; run the command again")
                }
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Never propose FILE for MESSAGE again.",
            discussion: CommandHelp.discussion(
                """
                Remembered in the database's audiosync_rejection table, which every later sync and \
                review respects. When the message holds the file now (a contradicted link), the link \
                is removed too, journalled (undo gives it back; the rejection stays).
                """,
                examples: [
                    (
                        "Never propose this note for message 48213",
                        "audiosync review reject --json Ana_Souza/instance_3B6XIW/chats/556999267344/audio/msg_A1B2C3D4_20240502_140311.ogg 48213"
                    )
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .busy, .configuration])
        )

        @OptionGroup var options: ReviewOptions
        @OptionGroup var pair: PairArguments

        func run() async throws {
            try await CommandContext.run("review reject", options.general) { context in
                let decision = try await options.decide(context: context) { session in
                    try await session.reject(file: normalisedLocalPath(pair.file), messageRowID: pair.message)
                }
                try context.print(decision, as: options.output) { decision.text }
            }
        }
    }
}
