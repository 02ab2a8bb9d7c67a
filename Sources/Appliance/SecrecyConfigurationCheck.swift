import Foundation

/// The checks of the secrecy configuration that need the file system (`intake config validate`
/// and the daemon's start): the at-rest key and the files of mutually authenticated TLS.
public enum SecrecyConfigurationCheck {
    /// One line per problem, each naming the key, what is wrong and what to do.
    public static func problems(_ configuration: Configuration,
                                environment: [String: String]? = nil) -> [String] {
        let environment = environment ?? ProcessInfo.processInfo.environment
        var problems: [String] = []
        if let keyFile = configuration.atRest.keyFile,
           let problem = AtRestKey.problem(keyFile: keyFile, stateDirectory: configuration.paths.stateDirectory) {
            problems.append("at_rest.key_file: \(problem)")
        }
        if configuration.network == .classified {
            let credential = environment["CREDENTIALS_DIRECTORY"].map { $0 + "/" + configuration.atRest.credential }
            let hasCredential = credential.map { FileManager.default.fileExists(atPath: $0) } ?? false
            if !hasCredential && configuration.atRest.keyFile == nil {
                problems.append("at_rest: network = \"classified\" needs the at-rest key: LoadCredential=\(configuration.atRest.credential):/etc/intake/keys/at-rest.key "
                                + "in the unit, or [at_rest] key_file = \"/etc/intake/keys/at-rest.key\" (root-only, 32 random bytes: `openssl rand -hex 32`)")
            }
        }
        for target in configuration.targets where target.classified && target.kind != .directory {
            for (key, path) in [("client_certificate", target.clientCertificate), ("client_key", target.clientKey)] {
                guard let path else { continue }
                if !FileManager.default.isReadableFile(atPath: path) {
                    problems.append("targets '\(target.name)'.\(key): \(path) cannot be read; mutual TLS needs it")
                }
            }
        }
        return problems
    }
}
