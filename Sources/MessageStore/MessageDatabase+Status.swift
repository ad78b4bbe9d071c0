extension MessageDatabase {
    /// Counts the audio rows of `scope` and their links, and lists the links, so the caller can check
    /// which files are missing.
    ///
    /// One load, read as ``loadAudioMessages(scope:)`` reads it: a row counts as a message, and a
    /// `localPath` as a claim, by the same validating reader that a sync uses, so status and sync
    /// never disagree about a row (SQL's JSON functions read some texts differently — a nested
    /// `message.audioMessage`, a repeated key, an empty path — and could not give the same figures).
    public func status(scope: MessageScope) async throws -> StoreStatus {
        let load = try await loadAudioMessages(scope: scope)
        return StoreStatus(
            audioRows: load.report.rowsRead, audioMessages: load.messages.count, claims: load.claims,
            report: load.report)
    }

    /// `scope` with its names turned into row ids.
    func resolve(_ scope: MessageScope) async throws -> ResolvedScope {
        if scope.client == nil && scope.instanceID == nil { return ResolvedScope(afterRowID: scope.afterRowID) }
        return try ResolvedScope(scope, clients: try await clients(), instances: try await instances())
    }
}
