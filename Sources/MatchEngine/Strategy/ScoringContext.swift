/// What a strategy may know beyond the pair itself: the calibration of the file's instance.
public struct ScoringContext: Sendable {
    /// The hash derivation and clock offset detected (or pinned) for the instance being scored.
    public var calibration: InstanceCalibration
    /// Whether the profile allows links between a file and a message of another chat
    /// (forwarded and group media); when not, another chat is a veto.
    public var allowCrossChat: Bool

    /// The instance's messages as a whole: how many share a token or a size, how many of a
    /// conversation fall in a span of time. `nil` in examples and wherever no instance is known:
    /// strategies then report no ``Finding/chance``.
    public var population: Population?

    public init(calibration: InstanceCalibration, allowCrossChat: Bool = false, population: Population? = nil) {
        self.calibration = calibration
        self.allowCrossChat = allowCrossChat
        self.population = population
    }

    /// The same context, its population ready with the answers about `file`: for scoring `file`
    /// against many messages in a row.
    func focused(on file: AudioFile) -> ScoringContext {
        var copy = self
        copy.population = population?.focused(on: file)
        return copy
    }
}
