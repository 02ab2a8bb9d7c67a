import IntakeCore
import Foundation

extension Doctor {
    /// The box's network posture and, on the classified network, the at-rest key and the files
    /// of mutual TLS.
    static func secrecy(_ configuration: Configuration, environment: [String: String]? = nil) -> Check {
        let environment = environment ?? ProcessInfo.processInfo.environment
        guard configuration.network == .classified else {
            return Check(name: "secrecy", ok: true,
                         detail: "network internet: classified documents are numbered, their pages neither kept nor sent")
        }
        let problems = SecrecyConfigurationCheck.problems(configuration, environment: environment)
        if let first = problems.first {
            return Check(name: "secrecy", ok: false, detail: problems.joined(separator: "; "),
                         fix: first.hasPrefix("at_rest") ? "openssl rand -hex 32 > /etc/intake/keys/at-rest.key; chmod 600 /etc/intake/keys/at-rest.key; "
                             + "then LoadCredential=intake-key:/etc/intake/keys/at-rest.key in the unit or [at_rest] key_file"
                             : "install the client certificate and key named in the configuration")
        }
        let inCredential = environment["CREDENTIALS_DIRECTORY"] != nil
        if configuration.atRest.keyFile == nil && !inCredential {
            return Check(name: "secrecy", ok: true,
                         detail: "network classified: the key comes from the systemd credential \(configuration.atRest.credential), visible to the service only (its journal says whether it loaded)")
        }
        do {
            let key = try AtRestKey.load(configuration.atRest, stateDirectory: configuration.paths.stateDirectory, environment: environment)
            return Check(name: "secrecy", ok: true, detail: "network classified: at-rest key from \(key.source) is usable")
        } catch {
            return Check(name: "secrecy", ok: false, detail: "\(error.message) (\(error.detail))",
                         fix: "chmod 600 the key file, keep it outside \(configuration.paths.stateDirectory), 32 bytes or 64 hex digits")
        }
    }
}
