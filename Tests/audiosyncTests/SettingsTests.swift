import Foundation
import Sync
import Testing

/// `audiosync.yml` and the order settings are taken in, without the binary.
struct SettingsTests {
    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "audiosync-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("A config file: relative paths from its folder, URLs and ids as written")
    func configFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        # the CRM on this server
        media_root: media
        database: postgres://crm@db/crm?sslmode=require
        profile: ../profiles/p.yml
        url_template: /media/{path}
        client: 12
        instance: instance_3B6X
        """.write(toFile: folder + "/audiosync.yml", atomically: true, encoding: .utf8)
        let file = try ConfigFile(contentsOf: folder + "/audiosync.yml")
        #expect(file.values[.mediaRoot] == folder + "/media")
        #expect(file.values[.database] == "postgres://crm@db/crm?sslmode=require")
        #expect(
            file.values[.profile] == URL(fileURLWithPath: folder).deletingLastPathComponent().path + "/profiles/p.yml")
        #expect(file.values[.client] == "12")
        #expect(file.values[.urlTemplate] == "/media/{path}")
    }

    @Test(
        "A config file that is wrong says where and what",
        arguments: [
            (
                "media_rot: /x\n",
                "unknown key `media_rot` (known: media_root, database, profile, url_template, client, instance)"
            ),
            ("media_root: [a, b]\n", "`media_root` takes one value"),
            ("- media_root\n", "expected `key: value` lines"),
            ("media_root: [\n", "not valid YAML"),
        ])
    func badConfigFile(text: String, message: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/audiosync.yml", atomically: true, encoding: .utf8)
        #expect {
            _ = try ConfigFile(contentsOf: folder + "/audiosync.yml")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains(folder + "/audiosync.yml")
        }
    }

    @Test("Flags beat the current folder's file, which beats $XDG_CONFIG_HOME's, which beats the defaults")
    func precedence() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let here = folder + "/here"
        let home = folder + "/config"
        try FileManager.default.createDirectory(atPath: here, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/audiosync", withIntermediateDirectories: true)
        try "media_root: /from/home\ndatabase: /home.sqlite\n".write(
            toFile: home + "/audiosync/audiosync.yml", atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": home]
        var settings = try Settings.resolve(Settings.Flags(), environment: environment, currentDirectory: here)
        #expect(settings[.mediaRoot] == "/from/home")
        #expect(settings.values[.mediaRoot]?.source == .configFile(home + "/audiosync/audiosync.yml"))
        #expect(settings.values[.urlTemplate]?.source == .builtIn)
        #expect(settings.values[.client]?.value == nil && settings.values[.client]?.source == nil)

        try "media_root: /from/here\n".write(toFile: here + "/audiosync.yml", atomically: true, encoding: .utf8)
        settings = try Settings.resolve(Settings.Flags(), environment: environment, currentDirectory: here)
        #expect(settings[.mediaRoot] == "/from/here")
        #expect(settings[.database] == nil, "one file is read, not merged with the next")

        settings = try Settings.resolve(
            Settings.Flags(mediaRoot: "/from/flag"), environment: environment, currentDirectory: here)
        #expect(settings[.mediaRoot] == "/from/flag")
        #expect(settings.values[.mediaRoot]?.source == .flag("--media-root"))
        #expect(throws: SettingsError.missing(.database, flag: "--database")) { try settings.required(.database) }

        #expect(throws: SettingsError.self) {
            try Settings.resolve(
                Settings.Flags(configFile: folder + "/nowhere.yml"), environment: environment, currentDirectory: here)
        }
    }

    @Test(
        "A database location is shown without its password, malformed or not",
        arguments: [
            ("postgres://crm:s3cret@db:5432/crm", "postgres://crm:***@db:5432/crm"),
            ("postgresql://crm:s3cret@db/crm?sslmode=require", "postgresql://crm:***@db/crm?sslmode=require"),
            (
                "postgres://crm@db/crm?password=s3cret&sslmode=require",
                "postgres://crm@db/crm?password=***&sslmode=require"
            ),
            ("postgres://crm:s3cret@db:notaport/crm", "postgres://crm:***@db:notaport/crm"),
            ("postgres://crm:p@ss@db/crm", "postgres://crm:***@db/crm"),
            ("/srv/crm/db.sqlite3", "/srv/crm/db.sqlite3"),
        ])
    func redaction(location: String, shown: String) {
        #expect(displayDatabaseLocation(location) == shown)
        #expect(!displayDatabaseLocation(location).contains("s3cret"))
    }
}
