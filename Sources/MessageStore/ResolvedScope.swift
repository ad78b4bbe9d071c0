import Foundation

/// A ``MessageScope`` with names turned into row ids.
struct ResolvedScope: Sendable, Hashable {
    /// `core_cliente.id`, or `nil` for all.
    var clientID: Int64?
    /// `core_whatsappinstance.id`, or `nil` for all.
    var instanceRowID: Int64?
    /// `core_whatsappinstance.cliente_id` of that instance: its client's chats that name no
    /// instance are the instance's too (``chatCondition(prefix:placeholder:)``).
    var instanceClientID: Int64?
    /// Only rows with a larger id, or `nil` for all (``MessageScope/afterRowID``).
    var afterRowID: Int64?

    /// The unrestricted scope (after `afterRowID`, when given).
    init(afterRowID: Int64? = nil) {
        clientID = nil
        instanceRowID = nil
        instanceClientID = nil
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
            instanceClientID = instance.clientID
        } else {
            instanceRowID = nil
            instanceClientID = nil
        }
        afterRowID = scope.afterRowID
    }

    /// The scope as a condition on `core_chat`, whose columns are written after `prefix` (`c.`),
    /// with `placeholder(n)` for the n-th value (from 1), and the values in order; `nil` when the
    /// scope is the whole database.
    ///
    /// An instance's scope holds its client's chats that name no instance: a plan puts their rows
    /// beside every instance's of the client (a note of such a chat is in one of the client's
    /// instance folders), so what a sync of one instance reads must hold them, or its plan is not
    /// the instance's part of the whole store's. The client stays the boundary.
    func chatCondition(prefix: String, placeholder: (Int) -> String) -> (sql: String, values: [Int64])? {
        var terms: [String] = []
        var values: [Int64] = []
        if let clientID {
            values.append(clientID)
            terms.append("\(prefix)cliente_id = \(placeholder(values.count))")
        }
        if let instanceRowID, let instanceClientID {
            values += [instanceRowID, instanceClientID]
            let own = "\(prefix)instance_id = \(placeholder(values.count - 1))"
            let shared = "\(prefix)instance_id IS NULL AND \(prefix)cliente_id = \(placeholder(values.count))"
            terms.append("(\(own) OR (\(shared)))")
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
