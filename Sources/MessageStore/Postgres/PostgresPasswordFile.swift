import Foundation

/// A PostgreSQL password file as libpq reads it (`PGPASSFILE`, else `~/.pgpass`): lines of
/// `host:port:database:user:password`, `*` matching anything in the first four fields, `\:` and
/// `\\` for a colon or backslash, `#` starting a comment. The first line that matches wins. A file
/// that others may read is ignored, with libpq's warning, so that a password left readable is not
/// used silently.
struct PostgresPasswordFile: Sendable {
    /// Where the file is.
    let path: String
    /// Its lines, split into fields with the escapes undone.
    let entries: [[String]]

    /// The file libpq would read, if it exists: `PGPASSFILE`, else `$HOME/.pgpass`.
    static func location(environment: [String: String]) -> String {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.pgpass"
    }

    /// Reads the file at `path`. Returns `nil` when there is no such file; throws the warning (as
    /// text) when the file is not a plain file or is readable by group or others.
    static func read(_ path: String) -> Result<PostgresPasswordFile, Warning>? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return .failure(Warning("password file \"\(path)\" is not a plain file"))
        }
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard permissions & 0o077 == 0 else {
            return .failure(
                Warning(
                    "password file \"\(path)\" has group or world access and was ignored: "
                        + "permissions should be u=rw (0600) or less (chmod 600 \(path))"))
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(Warning("password file \"\(path)\" cannot be read"))
        }
        return .success(PostgresPasswordFile(path: path, text: text))
    }

    struct Warning: Error, Sendable, Hashable, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    init(path: String, text: String) {
        self.path = path
        entries = text.split(whereSeparator: \.isNewline).compactMap { line in
            guard !line.hasPrefix("#"), !line.allSatisfy(\.isWhitespace) else { return nil }
            let fields = Self.fields(of: line)
            return fields.count >= 5 ? fields : nil
        }
    }

    /// The password of the first line matching the connection, if any.
    /// - Parameter hosts: the names the host may be matched by (a socket also matches `localhost`).
    func password(hosts: [String], port: Int, database: String, user: String) -> String? {
        let wanted = [String(port), database, user]
        for entry in entries {
            guard entry[0] == "*" || hosts.contains(entry[0]) else { continue }
            guard zip(entry[1...3], wanted).allSatisfy({ $0 == "*" || $0 == $1 }) else { continue }
            return entry[4]
        }
        return nil
    }

    /// `a:b\:c:d` → `["a", "b:c", "d"]`; whatever follows a fifth field is ignored, as libpq does.
    private static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                // libpq ends the password at an unescaped colon too.
                guard fields.count < 4 else { break }
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
