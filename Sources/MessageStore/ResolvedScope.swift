import Foundation

/// A ``MessageScope`` with names turned into row ids.
struct ResolvedScope: Sendable, Hashable {
    /// `core_cliente.id`, or `nil` for all.
    var clientID: Int64?
    /// `core_whatsappinstance.id`, or `nil` for all.
    var instanceRowID: Int64?
    /// Only rows with a larger id, or `nil` for all (``MessageScope/afterRowID``).
    var afterRowID: Int64?

    /// The unrestricted scope (after `afterRowID`, when given).
    init(afterRowID: Int64? = nil) {
        clientID = nil
        instanceRowID = nil
        self.afterRowID = afterRowID
    }

    /// Resolves `scope` against the database's clients and instances.
    /// - Throws: ``MessageStoreError`` when a name matches nothing or several clients.
    init(_ scope: MessageScope, clients: [ClientInfo], instances: [InstanceInfo]) throws(MessageStoreError) {
        switch scope.client {
        case nil:
            clientID = nil
        case .id(let id):
            guard clients.contains(where: { $0.id == id }) else { throw .unknownClient(String(id)) }
            clientID = id
        case .name(let name):
            let wanted = ResolvedScope.fold(name)
            let matches = clients.filter { ResolvedScope.fold($0.name) == wanted }
            guard !matches.isEmpty else { throw .unknownClient(name) }
            guard matches.count == 1 else { throw .ambiguousClient(name, ids: matches.map(\.id).sorted()) }
            clientID = matches[0].id
        }
        if let instanceID = scope.instanceID {
            guard let instance = instances.first(where: { $0.instanceID == instanceID }) else {
                throw .unknownInstance(instanceID)
            }
            instanceRowID = instance.rowID
        } else {
            instanceRowID = nil
        }
        afterRowID = scope.afterRowID
    }

    /// The scope as a condition on `core_chat`, whose columns are written after `prefix` (`c.`),
    /// with `placeholder(n)` for the n-th value (from 1), and the values in order; `nil` when the
    /// scope is the whole database.
    func chatCondition(prefix: String, placeholder: (Int) -> String) -> (sql: String, values: [Int64])? {
        var terms: [String] = []
        var values: [Int64] = []
        for (column, value) in [("cliente_id", clientID), ("instance_id", instanceRowID)] {
            guard let value else { continue }
            values.append(value)
            terms.append("\(prefix)\(column) = \(placeholder(values.count))")
        }
        return terms.isEmpty ? nil : (terms.joined(separator: " AND "), values)
    }

    /// A client name as folders spell it and people type it: accents and case folded, underscores as
    /// spaces, runs of white space as one, no white space at the ends.
    static func fold(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        return folded.replacingOccurrences(of: "_", with: " ")
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }
}
