import Glibc
import Scanning
import Testing

/// SANE backends built on sanei_thread ask for asynchronous cancellation of their reader threads
/// and cancel them at every frame's end; a cancel landing inside malloc left an arena's lock
/// held and hung the next scan. The binary exports its own pthread_setcanceltype, so a backend
/// (which binds through the global scope, as `dlsym(RTLD_DEFAULT)` does) only ever gets deferred.
@Suite struct ReaderCancelTests {
    typealias SetCancelType = @convention(c) (Int32, UnsafeMutablePointer<Int32>?) -> Int32

    @Test func aBackendAskingForAsynchronousCancellationGetsDeferred() throws {
        #expect(SaneRuntime.readerCancelIsDeferred)
        let symbol = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setcanceltype"))
        let setCancelType = unsafeBitCast(symbol, to: SetCancelType.self)
        var old: Int32 = -1
        #expect(setCancelType(Int32(PTHREAD_CANCEL_ASYNCHRONOUS), &old) == 0)
        #expect(setCancelType(Int32(PTHREAD_CANCEL_DEFERRED), &old) == 0)
        #expect(old == Int32(PTHREAD_CANCEL_DEFERRED), "the thread became asynchronously cancellable")
    }
}
