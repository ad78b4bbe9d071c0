/// The writes a plan asks for, as `conteudo` edits: what `apply` does and a dry run prints.
public struct ChangeSet: Sendable, Hashable, Codable {
    /// One message's new link, or the removal of a wrong one.
    public struct Change: Sendable, Hashable, Codable {
        public enum Action: Sendable, Hashable, Codable {
            /// Set `audioMessage.localPath` and `audioMessage.localUrl`.
            case link(localPath: String, localUrl: String)
            /// Remove both keys.
            case unlink
        }

        public enum Reason: String, Sendable, Hashable, Codable {
            /// A new link where the message had none.
            case link
            /// Replaces or removes an existing value the evidence contradicts (`--repair`).
            case repair
        }

        public var messageRowID: Int64
        public var action: Action
        public var reason: Reason

        public init(messageRowID: Int64, action: Action, reason: Reason = .link) {
            self.messageRowID = messageRowID
            self.action = action
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case messageRowID = "message_id"
            case action, reason
        }
    }

    /// A link the plan makes but the change set holds back, and why.
    public struct Withheld: Sendable, Hashable, Codable {
        public var messageRowID: Int64
        public var file: String
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case messageRowID = "message_id"
            case file, reason
        }
    }

    public var changes: [Change] = []
    public var withheld: [Withheld] = []

    /// Links already in the database that the evidence confirms: nothing to write.
    public var confirmed = 0

    public init() {}
}

extension MatchPlan {
    /// The default `localUrl`: `{id}` is `core_mensagem.id` (a template may use `{path}`, the
    /// file's path, as well).
    public static let defaultURLTemplate = "/api/audio/hash-mapping/{id}/"

    /// The writes this plan asks for.
    ///
    /// A message that already holds another `localPath`, or a file another message already
    /// claims, is only changed under `repair`; otherwise the link is withheld and reported, so an
    /// earlier tool's value is never overwritten silently and no file ends up with two messages.
    ///
    /// - Parameters:
    ///   - repair: replace or remove existing values the evidence contradicts.
    ///   - urlTemplate: the `localUrl`, with `{id}` for the message's row id and `{path}` for the
    ///     file's path (percent-encoded), for a CRM that serves media by path.
    public func changeSet(repair: Bool, urlTemplate: String = MatchPlan.defaultURLTemplate) -> ChangeSet {
        var set = ChangeSet()
        let (claimByMessage, claimantsOfPath) = {
            var claimByMessage: [Int64: ClaimCheck] = [:]
            var claimantsOfPath: [String: [Int64]] = [:]
            for claim in claims {
                claimByMessage[claim.messageRowID] = claim
                claimantsOfPath[normalisedLocalPath(claim.localPath), default: []].append(claim.messageRowID)
            }
            return (claimByMessage, claimantsOfPath)
        }()
        /// What one link comes to: made on every core (each link's URL is most of the work: half
        /// a second of one core at 300,000 links in `perf`, the other core idle), recorded in order below.
        enum Verdict: Sendable {
            case confirmed
            case withheld(ChangeSet.Withheld)
            case change(ChangeSet.Change, released: [Int64])
        }
        let links = self.links
        let verdicts: [Verdict] = parallelMap(count: links.count, minimumChunk: 4_096) { range in
            range.map { position in
                let link = links[position]
                let own = claimByMessage[link.messageRowID]
                // Most links of a store synced before are their row's own claim, confirmed: nothing
                // else to look up.
                if own?.status == .confirmed { return .confirmed }
                // A store never synced has no claims: no arrays made per link to find none (300,000 links).
                let otherClaimants =
                    claimantsOfPath.isEmpty
                    ? []
                    : ([link.file] + link.duplicates).flatMap { claimantsOfPath[$0] ?? [] }.filter {
                        $0 != link.messageRowID
                    }
                let needsRepair = own != nil || !otherClaimants.isEmpty
                if needsRepair && !repair {
                    let reason =
                        own.map { "message already has localPath \($0.localPath); use --repair to replace it" }
                        ?? "file already claimed by message \(otherClaimants.sorted().map(String.init).joined(separator: ", ")); use --repair"
                    return .withheld(.init(messageRowID: link.messageRowID, file: link.file, reason: reason))
                }
                return .change(
                    .init(
                        messageRowID: link.messageRowID,
                        action: .link(
                            localPath: link.file, localUrl: Self.url(urlTemplate, link.messageRowID, path: link.file)),
                        reason: needsRepair ? .repair : .link
                    ),
                    released: otherClaimants
                )
            }
        }
        var linkedMessages: Set<Int64> = []
        var released: Set<Int64> = []
        for (link, verdict) in zip(links, verdicts) {
            switch verdict {
            case .confirmed:
                set.confirmed += 1
                linkedMessages.insert(link.messageRowID)
            case .withheld(let withheld):
                set.withheld.append(withheld)
            case .change(let change, let otherClaimants):
                set.changes.append(change)
                linkedMessages.insert(link.messageRowID)
                released.formUnion(otherClaimants)
            }
        }
        guard repair else {
            set.changes.sort { $0.messageRowID < $1.messageRowID }
            return set
        }
        for claim in claims where !linkedMessages.contains(claim.messageRowID) {
            let wrong = claim.status == .contradicted || claim.status == .missingFile
            if wrong || released.contains(claim.messageRowID) {
                set.changes.append(.init(messageRowID: claim.messageRowID, action: .unlink, reason: .repair))
            }
        }
        set.changes.sort { $0.messageRowID < $1.messageRowID }
        return set
    }

    /// The `localUrl` for a message: the template with `{id}` replaced by its row id and `{path}`
    /// by the file's path, each byte outside RFC 3986's unreserved characters and `/`
    /// percent-encoded (so a name with spaces or accents is still one URL).
    public static func url(_ template: String, _ rowID: Int64, path: String = "") -> String {
        // One pass over the template's bytes, once per link: searching it character by character
        // for each placeholder was two thirds of making a change set at 300,000 links. The same as
        // replacing `{id}` and then `{path}`, since a row id's digits cannot form a `{path}`.
        var result: [UInt8] = []
        result.reserveCapacity(template.utf8.count + path.utf8.count)
        var rest = template.utf8[...]
        while let byte = rest.first {
            if byte == UInt8(ascii: "{") {
                if rest.starts(with: "{id}".utf8) {
                    result += String(rowID).utf8
                    rest = rest.dropFirst(4)
                    continue
                }
                if rest.starts(with: "{path}".utf8) {
                    for byte in path.utf8 {
                        switch byte {
                        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                            UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                            result.append(byte)
                        default:
                            result += [
                                UInt8(ascii: "%"), Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)],
                            ]
                        }
                    }
                    rest = rest.dropFirst(6)
                    continue
                }
            }
            result.append(byte)
            rest = rest.dropFirst()
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Upper-case, as RFC 3986 recommends for percent-encoding; made once, not once per link.
    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
