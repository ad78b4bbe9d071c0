/// What a strategy may know beyond the pair itself: the calibration of the file's instance.
public struct ScoringContext: Sendable {
    /// The hash derivation and clock offset detected (or pinned) for the instance being scored.
    public var calibration: InstanceCalibration
    /// Whether the profile allows links between a file and a message of another chat
    /// (forwarded and group media); when not, another chat is a veto.
    public var allowCrossChat: Bool

    public init(calibration: InstanceCalibration, allowCrossChat: Bool = false) {
        self.calibration = calibration
        self.allowCrossChat = allowCrossChat
    }
}
