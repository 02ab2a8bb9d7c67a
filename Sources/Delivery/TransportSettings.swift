/// Timeouts, TLS and proxy settings for a transport.
public struct TransportSettings: Sendable {
    public var connectTimeout: Duration = .seconds(10)
    public var totalTimeout: Duration = .seconds(300)
    /// Abort when slower than this many bytes per second for `lowSpeedTime`.
    public var lowSpeedLimitBytesPerSecond: Int = 1024
    public var lowSpeedTime: Duration = .seconds(30)
    public var verifyTLS: Bool = true
    /// PEM file of trusted certificate authorities; nil uses the system store.
    public var caBundle: String?
    public var clientCertificate: String?
    public var clientKey: String?
    /// e.g. "http://proxy.example:3128"; nil uses no proxy settings of our own.
    public var proxy: String?
    /// Larger answers fail with `TransportError.Code.responseTooLarge`.
    public var maxResponseBytes: Int = 1 << 20

    public init() {}
}
