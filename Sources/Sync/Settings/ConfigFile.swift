import Foundation
import Yams

/// `audiosync.yml`: the settings an operator would otherwise repeat on every command line.
///
/// ```yaml
/// media_root: /srv/crm/media
/// database: /srv/crm/db.sqlite3        # or postgres://audiosync@db/crm (the password from ~/.pgpass)
/// profile: /etc/audiosync/profile.yml  # default: the built-in profile
/// url_template: /media/{path}
/// client: Elizeu_Batiliere_Dos_Santos  # scope: one client (id, name or folder) …
/// instance: 3B6XIW-ZTS923-GEAY6V       # … and/or one instance
/// ```
///
/// Every key is optional; an unknown key is an error that names it. Relative paths are read from
/// the file's own folder, so a file under `~/.config/audiosync/` means the same wherever the
/// command runs.
public struct ConfigFile: Sendable, Hashable {
    /// The keys a file may hold, in the order `config show` lists them.
    public enum Key: String, Sendable, CaseIterable {
        case mediaRoot = "media_root"
        case database
        case profile
        case urlTemplate = "url_template"
        case client
        case instance
    }

    /// Where the file is (an absolute path).
    public var path: String
    /// The values it sets, relative paths made absolute.
    public var values: [Key: String]

    public init(path: String, values: [Key: String]) {
        self.path = path
        self.values = values
    }

    /// Reads and checks the file at `path`.
    /// - Throws: ``SettingsError/badConfigFile(path:reason:)`` naming the key at fault.
    public init(contentsOf path: String) throws(SettingsError) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let text = try? String(contentsOfFile: absolute, encoding: .utf8) else {
            throw .badConfigFile(path: absolute, reason: "cannot be read; check its permissions")
        }
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw .badConfigFile(path: absolute, reason: "not valid YAML (\(error))")
        }
        var values: [Key: String] = [:]
        if let document {
            guard let mapping = document as? [String: Any] else {
                throw .badConfigFile(
                    path: absolute, reason: "expected `key: value` lines, such as `media_root: /srv/media`")
            }
            let folder = (absolute as NSString).deletingLastPathComponent
            for (name, value) in mapping {
                guard let key = Key(rawValue: name) else {
                    let known = Key.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .badConfigFile(path: absolute, reason: "unknown key `\(name)` (known: \(known))")
                }
                guard let scalar = Self.scalar(value) else {
                    throw .badConfigFile(path: absolute, reason: "`\(name)` takes one value, a text or a number")
                }
                values[key] = key.isPath ? Self.resolve(scalar, in: folder) : scalar
            }
        }
        self.init(path: absolute, values: values)
    }

    /// The first file of the search order that exists: `./audiosync.yml`, then
    /// `$XDG_CONFIG_HOME/audiosync/audiosync.yml` (`~/.config/audiosync/audiosync.yml`).
    public static func searchOrder(currentDirectory: String, environment: [String: String]) -> [String] {
        let configHome: String
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            configHome = xdg
        } else {
            configHome = (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        }
        return [currentDirectory + "/audiosync.yml", configHome + "/audiosync/audiosync.yml"]
    }

    private static func scalar(_ value: Any) -> String? {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let number as Double: String(number)
        default: nil
        }
    }

    /// A path relative to `folder` made absolute; URLs and absolute paths as they are.
    private static func resolve(_ value: String, in folder: String) -> String {
        if value.hasPrefix("/") || value.contains("://") { return value }
        if value.hasPrefix("~/") { return NSHomeDirectory() + value.dropFirst() }
        return URL(fileURLWithPath: folder).appendingPathComponent(value).standardizedFileURL.path
    }
}

extension ConfigFile.Key {
    /// Whether the value names a file or folder (read relative to the config file's folder).
    var isPath: Bool { self == .mediaRoot || self == .database || self == .profile }
}
