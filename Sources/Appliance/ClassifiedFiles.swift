import Foundation
public import Registry
#if canImport(Glibc)
import Glibc
#endif

/// Classified files on a box on the classified network: sealed (encrypted at rest) as the scan
/// writes them (DocumentBuilder with a SealingFile `sink:`), opened into a private temporary file only for the length of one upload.
public struct ClassifiedFiles: Sendable {
    let cipher: AtRestCipher
    let stagingDirectory: String
    public let keySource: String

    public init(configuration: Configuration, environment: [String: String]? = nil) throws(SecrecyError) {
        let key = try AtRestKey.load(configuration.atRest, stateDirectory: configuration.paths.stateDirectory, environment: environment)
        self.init(key: key, stagingDirectory: configuration.paths.stagingDirectory)
    }

    public init(key: AtRestKey, stagingDirectory: String) {
        cipher = AtRestCipher(key: key.key)
        self.stagingDirectory = stagingDirectory
        keySource = key.source
    }

    /// A plain copy of a sealed document for one upload, readable by this process alone.
    public struct PlainCopy: Sendable {
        public let path: String
        /// SHA-256 of the plain PDF: what the centre checks.
        public let sha256: String

        public func remove() { unlink(path) }
    }

    /// Decrypts `document`'s sealed file into a 0600 temporary file in the staging directory.
    public func plainCopy(of document: RegisteredDocument) throws(SecrecyError) -> PlainCopy {
        let path = stagingDirectory + "/deliver-\(UUID().uuidString.lowercased()).pdf"
        let sha = try cipher.open(document.path, to: path)
        return PlainCopy(path: path, sha256: sha)
    }

    /// Removes plain copies an interrupted upload left behind, and sealed copies of an
    /// interrupted correction (run at start-up, before anyone corrects or sends).
    public static func removeLeftovers(stagingDirectory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stagingDirectory)) ?? []
        for name in names where name.hasPrefix("deliver-") || name.hasPrefix("reclassify-") {
            unlink(stagingDirectory + "/" + name)
        }
    }
}
