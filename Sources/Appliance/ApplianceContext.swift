public import Delivery
import Foundation
public import Registry
import Stamping

/// The composition root: the configuration, the register it names, and the delivery targets.
/// The CLI and the daemon both start here.
public struct ApplianceContext: Sendable {
    public var configuration: Configuration
    public var register: Register
    public var clock: any WallClock
    public var buildYear: Int
    /// The clock check's reference when the own clock is not NTP-synchronised.
    public var trustedClock: TrustedClock

    public static func load(configPath: String, stateDirectory: String?) throws(ConfigurationError) -> Configuration {
        var configuration = try ConfigurationLoader.load(path: configPath)
        if let stateDirectory { configuration.paths.stateDirectory = stateDirectory }
        return configuration
    }

    public init(configuration: Configuration, clock: any WallClock = SystemWallClock(), buildYear: Int,
                trustedClock: TrustedClock? = nil) throws {
        self.configuration = configuration
        self.clock = clock
        self.buildYear = buildYear
        let trusted = trustedClock ?? TrustedClock(path: configuration.paths.stateDirectory + "/clock-reference.json")
        self.trustedClock = trusted
        let paths = configuration.paths
        for directory in [paths.stateDirectory, paths.documentsDirectory, paths.stagingDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        }
        var registerConfiguration = Self.registerConfiguration(configuration, buildYear: buildYear)
        registerConfiguration.trustedTime = { trusted.trustedNow() }
        register = try Register(path: paths.databasePath, configuration: registerConfiguration, clock: clock)
        if configuration.stamp.enabled { register.stamper = PDFArrivalStamper(configuration: configuration) }
    }

    public static func registerConfiguration(_ configuration: Configuration, buildYear: Int) -> RegisterConfiguration {
        var register = RegisterConfiguration(
            organisationCode: configuration.organisationCode,
            ordinaryBook: configuration.books.ordinary,
            classifiedBook: configuration.books.classified,
            buildYear: buildYear,
            documentsDirectory: configuration.paths.documentsDirectory
        )
        register.numbering = configuration.books.numbering
        return register
    }

    /// Delivery targets from the configuration; a bad token file is reported here, by name.
    public func makeTargets() throws -> [any DeliveryTarget] {
        var targets: [any DeliveryTarget] = []
        for target in configuration.targets {
            switch target.kind {
            case .http:
                let settings = Self.transportSettings(target)
                let token = try target.tokenFile.map { try BearerToken.load(path: $0) }
                targets.append(HTTPTarget(name: target.name, baseURL: target.url ?? "", token: token,
                                          secureNetwork: target.classified, transport: try CurlTransport(settings: settings)))
            case .directory:
                targets.append(DirectoryTarget(name: target.name, directory: target.path ?? "", secureNetwork: target.classified))
            case .paperless, .tus:
                targets.append(try makeResumableTarget(target))
            }
        }
        return targets
    }

    public static func transportSettings(_ target: Configuration.Target) -> TransportSettings {
        var settings = TransportSettings()
        settings.connectTimeout = target.connectTimeout
        settings.totalTimeout = target.totalTimeout
        settings.caBundle = target.caBundle
        settings.clientCertificate = target.clientCertificate
        settings.clientKey = target.clientKey
        settings.proxy = target.proxy
        return settings
    }

    /// This year in the register's time zone (Vietnam), which is when numbering restarts.
    public var currentYear: Int {
        Self.registerConfiguration(configuration, buildYear: buildYear).year(of: clock.now())
    }

    public var retryPolicy: RetryPolicy {
        RetryPolicy(base: configuration.retry.base, cap: configuration.retry.cap)
    }

    public var diskGuard: DiskGuard {
        DiskGuard(path: configuration.paths.stateDirectory, minimumFreeMB: configuration.disk.minimumFreeMB)
    }
}
