import ArgumentParser
import Sync

extension AudioSync {
    /// `audiosync clients`: who is in the database, and which folders are theirs.
    struct Clients: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the clients and instances of the database, with their folders in the media store.",
            discussion: CommandHelp.discussion(
                """
                Every command's --client takes a client's id, name or folder, and --instance an \
                instance id or its folder (instance_<id>): this lists them. With a media root, also \
                says which folders exist and which folders are no client's.
                """,
                examples: [
                    ("Clients and instances", "audiosync clients --database crm.sqlite3"),
                    ("With the folders found", "audiosync clients --database crm.sqlite3 --media-root /srv/media"),
                ],
                exitCodes: CommandHelp.storeCodes)
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        func run() async throws {
            try await CommandContext.run("clients", general) { context in
                let settings = try context.settings(Settings.Flags(store: store))
                let report = try await ClientsReport.read(
                    try settings.database(scoped: false), mediaRoot: settings[.mediaRoot], logger: context.logger)
                try context.print(report, as: output) { report.text }
            }
        }
    }
}
