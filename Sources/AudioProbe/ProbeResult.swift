/// What probing one file found: its format by content and its duration, or why there is none.
public struct ProbeResult: Sendable, Hashable {
    /// The format the bytes show.
    public var format: ContainerFormat
    /// The duration in seconds, `nil` when it could not be read (see ``failure``).
    public var duration: Double?
    /// `true` when ``duration`` is a best effort from damaged data (see ``damage``).
    public var durationIsEstimate: Bool
    /// What is wrong with the file, when something is and a duration could still be read.
    public var damage: ProbeDamage?
    /// Why there is no duration.
    public var failure: AudioProbeError?
    /// How the duration was read; `nil` when it was not.
    public var method: ProbeMethod?

    public init(
        format: ContainerFormat,
        duration: Double? = nil,
        durationIsEstimate: Bool = false,
        damage: ProbeDamage? = nil,
        failure: AudioProbeError? = nil,
        method: ProbeMethod? = nil
    ) {
        self.format = format
        self.duration = duration
        self.durationIsEstimate = durationIsEstimate
        self.damage = damage
        self.failure = failure
        self.method = method
    }
}
