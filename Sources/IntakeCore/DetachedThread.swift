#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Starts a detached POSIX thread: Foundation's `Thread { }.start()` without Foundation (the
/// scanning path links FoundationEssentials only). The body owns its own end; nothing joins it.
/// The name is kept for a debugger, not given to the kernel: Swift's Glibc module does not map
/// `pthread_setname_np` (a _GNU_SOURCE function).
public enum DetachedThread {
    private final class Box {
        /// The thread's purpose ("intake-encoder-0"), visible on the box in a debugger.
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) { self.name = name; self.body = body }
    }

    /// Runs `body` on a new thread; `name` says what it is for.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, box)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread to run it on (resources exhausted): run it here rather than lose the work.
            let box = Unmanaged<Box>.fromOpaque(box).takeRetainedValue()
            box.body()
        }
    }
}
