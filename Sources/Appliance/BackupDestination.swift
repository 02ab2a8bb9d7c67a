import IntakeCore
import Foundation

/// Where a backup may go. Only local paths: a second disk or a mounted USB device. A backup
/// holding classified documents is refused on a network file system (NFS, SMB, sshfs, …).
public enum BackupDestination {
    /// File system types that reach over a network.
    static let networkFileSystems: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs", "9p", "lustre", "gfs2", "ocfs2",
        "fuse.sshfs", "fuse.davfs", "fuse.rclone", "fuse.s3fs", "fuse.glusterfs", "fuse.cephfs", "davfs",
    ]

    /// Throws when `path` is not an acceptable destination for a backup that does (or does not)
    /// hold classified documents. `mountInfo` is /proc/self/mountinfo's text (tests pass their own).
    public static func check(_ path: String, classified: Bool, mountInfo: String? = nil) throws {
        if path.contains("://") || (!path.hasPrefix("/") && path.contains(":")) {
            throw OperationsError(
                .destinationRefused, "Backups go to a local directory, not a network address.",
                detail: "'\(path)' looks like a network destination (URL or host:path); mount a second disk or USB "
                    + "device and give its directory, e.g. /media/backup-disk/intake")
        }
        guard path.hasPrefix("/") else {
            throw OperationsError(.destinationRefused, "The backup destination must be an absolute path.", detail: path)
        }
        guard classified else { return }
        let info = mountInfo ?? ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "")
        if let mount = fileSystem(of: path, mountInfo: info), networkFileSystems.contains(mount.type) {
            throw OperationsError(
                .destinationRefused, "The register holds classified documents (mật): their backup may not go over a network.",
                detail: "\(path) is on \(mount.type) mounted at \(mount.point); use a local second disk or an approved USB device")
        }
    }

    /// The mount point and file system type holding `path` (longest matching mount point).
    static func fileSystem(of path: String, mountInfo: String) -> (point: String, type: String)? {
        let target = (path as NSString).standardizingPath
        var best: (point: String, type: String)?
        for line in mountInfo.split(separator: "\n") {
            // id parent major:minor root mountpoint options [optional...] - fstype source superopts
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > 5, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let point = unescape(fields[4])
            let type = fields[dash + 1]
            let inside = point == "/" || target == point || target.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? -1) { best = (point, type) }
        }
        return best
    }

    private static func unescape(_ field: String) -> String {
        field.replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
            .replacingOccurrences(of: "\\134", with: "\\")
    }
}
