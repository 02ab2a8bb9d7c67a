import Hummingbird
import NIOCore

/// Request context that keeps the channel, so a fault can close the connection mid-body.
struct ReceiverContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The receiver reads bodies itself, with its own cap.
    var maxUploadSize: Int { 512 * 1024 * 1024 }
}
