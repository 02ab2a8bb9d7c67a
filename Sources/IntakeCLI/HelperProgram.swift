import Foundation

/// Programs installed beside the running one (/usr/libexec/intake/ in the package, .build/*/ in a
/// checkout). Found from /proc/self/exe, not argv[0]: the lean front execs intake-full with its
/// own argv, so argv[0] names /usr/bin/intake.
enum HelperProgram {
    static func path(_ name: String) -> String {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
