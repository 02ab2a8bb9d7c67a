import Foundation

/// Free space where the register and documents live; scanning is refused below the minimum
/// so a full disk never leaves a half-written document.
public struct DiskGuard: Sendable {
    public var path: String
    public var minimumFreeMB: Int

    public init(path: String, minimumFreeMB: Int) {
        self.path = path
        self.minimumFreeMB = minimumFreeMB
    }

    public struct Report: Sendable, Codable, Equatable {
        public var path: String
        public var freeMB: Int
        public var minimumMB: Int
        public var ok: Bool
    }

    public func check() -> Report {
        var stats = statvfs()
        var probe = path
        while statvfs(probe, &stats) != 0, probe != "/" { probe = (probe as NSString).deletingLastPathComponent }
        let free = Int(UInt64(stats.f_bavail) * UInt64(stats.f_frsize) / 1_048_576)
        return Report(path: path, freeMB: free, minimumMB: minimumFreeMB, ok: free >= minimumFreeMB)
    }
}
