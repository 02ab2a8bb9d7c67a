import Testing
@testable import Scanning

struct ScanErrorTests {
    @Test(arguments: [
        (1, ScanError.Code.unsupported), (2, .cancelled), (3, .deviceBusy), (4, .invalidOption), (5, .ioError),
        (6, .jammed), (7, .noDocuments), (8, .coverOpen), (9, .ioError), (10, .outOfMemory), (11, .accessDenied), (42, .other),
    ])
    func everySaneStatusMapsToATypedError(status: Int, code: ScanError.Code) {
        let error = ScanError.sane(status: status, operation: "sane_read on x:0")
        #expect(error.code == code)
        #expect(error.detail.hasPrefix("sane_read on x:0: "))
        #expect(!error.message.isEmpty && !error.message.contains("SANE"))
    }

    @Test func anIOErrorFromAVanishedDeviceIsDeviceGone() {
        let error = ScanError.sane(status: 9, operation: "sane_read on fujitsu:1", deviceGone: true)
        #expect(error.code == .deviceGone)
        #expect(error.message.contains("disconnected"))
    }
}
