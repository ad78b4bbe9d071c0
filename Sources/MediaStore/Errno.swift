/// A system error number.
public struct Errno: Error, Sendable, Hashable {
    public var code: Int32
    public init(code: Int32) { self.code = code }
}
