import Crypto
import Foundation
import Testing
@testable import Appliance

@Suite struct AtRestEncryptionTests {
    func bytes(_ count: Int) -> Data {
        var rng = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test(arguments: [0, 1, 999, 1000, 1001, 5500])
    func sealedFilesOpenToTheSameBytesWithTheKey(size: Int) throws {
        let dir = TemporaryDirectory()
        let plain = Data("%PDF-1.4\n".utf8) + bytes(size)
        try plain.write(to: URL(fileURLWithPath: dir.path + "/doc.pdf"))
        let cipher = AtRestCipher(key: SymmetricKey(size: .bits256), chunkSize: 1000)
        let sealedSHA = try cipher.seal(dir.path + "/doc.pdf", to: dir.path + "/doc.sealed")
        let openedSHA = try cipher.open(dir.path + "/doc.sealed", to: dir.path + "/back.pdf")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/back.pdf")) == plain)
        #expect(sealedSHA == openedSHA)
        #expect(sealedSHA == SHA256.hash(data: plain).map { String(format: "%02x", $0) }.joined())
        #expect(AtRestCipher.isSealed(dir.path + "/doc.sealed"))
        #expect(!AtRestCipher.isSealed(dir.path + "/doc.pdf"))
    }

    @Test func classifiedFilesAreUnreadableWithoutTheKeyAndNeverWorldReadable() throws {
        let dir = TemporaryDirectory()
        let plain = Data("%PDF-1.4\n1 0 obj << /Title (Văn bản MẬT) >> endobj\n".utf8) + bytes(3000)
        try plain.write(to: URL(fileURLWithPath: dir.path + "/doc.pdf"))
        let cipher = AtRestCipher(key: SymmetricKey(size: .bits256), chunkSize: 1024)
        try cipher.seal(dir.path + "/doc.pdf", to: dir.path + "/doc.sealed")
        let sealed = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/doc.sealed"))
        #expect(sealed.range(of: Data("%PDF".utf8)) == nil)
        #expect(sealed.range(of: Data("Văn bản MẬT".utf8)) == nil)
        #expect(try mode(dir.path + "/doc.sealed") == 0o600)

        let wrong = AtRestCipher(key: SymmetricKey(size: .bits256), chunkSize: 1024)
        #expect(throws: SecrecyError.self) { try wrong.open(dir.path + "/doc.sealed", to: dir.path + "/stolen.pdf") }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/stolen.pdf"), "a failed open leaves nothing behind")

        try cipher.open(dir.path + "/doc.sealed", to: dir.path + "/opened.pdf")
        #expect(try mode(dir.path + "/opened.pdf") == 0o600)
    }

    @Test func aChangedByteACutFileOrASwappedChunkFailsToOpen() throws {
        let dir = TemporaryDirectory()
        try bytes(4000).write(to: URL(fileURLWithPath: dir.path + "/doc.pdf"))
        let cipher = AtRestCipher(key: SymmetricKey(size: .bits256), chunkSize: 1000)
        try cipher.seal(dir.path + "/doc.pdf", to: dir.path + "/doc.sealed")
        let sealed = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/doc.sealed"))
        let header = 21, chunk = 1016
        var flipped = sealed
        flipped[header + 10] ^= 0x01
        let cut = sealed.prefix(header + 3 * chunk)                       // the last chunk dropped
        var swapped = sealed
        swapped.replaceSubrange(header..<(header + chunk), with: sealed[(header + chunk)..<(header + 2 * chunk)])
        swapped.replaceSubrange((header + chunk)..<(header + 2 * chunk), with: sealed[header..<(header + chunk)])
        for (name, damaged) in [("flipped", flipped), ("cut", cut), ("swapped", swapped)] {
            let path = dir.path + "/\(name).sealed"
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(throws: SecrecyError.self, "\(name)") { try cipher.open(path, to: dir.path + "/\(name).pdf") }
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/\(name).pdf"))
        }
    }

    // MARK: - the key

    func writeKey(_ dir: TemporaryDirectory, _ name: String, mode: Int, contents: Data? = nil) throws -> String {
        let path = dir.path + "/" + name
        try (contents ?? Data((0..<32).map { _ in UInt8.random(in: 0...255) }.map { String(format: "%02x", $0) }.joined().utf8))
            .write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func aRootOnlyKeyFileOutsideTheStateDirectoryIsUsed() throws {
        let dir = TemporaryDirectory()
        var atRest = Configuration.AtRest()
        atRest.keyFile = try writeKey(dir, "at-rest.key", mode: 0o600)
        let key = try AtRestKey.load(atRest, stateDirectory: dir.path + "/state", environment: [:])
        #expect(key.source == atRest.keyFile)
    }

    @Test func aKeyFileOthersCanReadOrInsideTheStateDirectoryIsRefused() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/state", withIntermediateDirectories: true)
        var loose = Configuration.AtRest()
        loose.keyFile = try writeKey(dir, "loose.key", mode: 0o644)
        #expect(throws: SecrecyError.self) { try AtRestKey.load(loose, stateDirectory: dir.path + "/state", environment: [:]) }
        #expect(AtRestKey.problem(keyFile: loose.keyFile ?? "", stateDirectory: dir.path + "/state")?.contains("chmod 600") == true)
        var inside = Configuration.AtRest()
        inside.keyFile = try writeKey(dir, "state/at-rest.key", mode: 0o600)
        #expect(AtRestKey.problem(keyFile: inside.keyFile ?? "", stateDirectory: dir.path + "/state")?.contains("state directory") == true)
        #expect(throws: SecrecyError.self) { try AtRestKey.load(inside, stateDirectory: dir.path + "/state", environment: [:]) }
        var short = Configuration.AtRest()
        short.keyFile = try writeKey(dir, "short.key", mode: 0o600, contents: Data("abc".utf8))
        #expect(throws: SecrecyError.self) { try AtRestKey.load(short, stateDirectory: dir.path + "/state", environment: [:]) }
        #expect(throws: SecrecyError.self) { try AtRestKey.load(Configuration.AtRest(), stateDirectory: dir.path + "/state", environment: [:]) }
    }

    @Test func theSystemdCredentialComesFirst() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/credentials", withIntermediateDirectories: true)
        _ = try writeKey(dir, "credentials/intake-key", mode: 0o400, contents: Data((0..<32).map { UInt8($0) }))
        var atRest = Configuration.AtRest()
        atRest.keyFile = dir.path + "/does-not-exist.key"
        let key = try AtRestKey.load(atRest, stateDirectory: dir.path + "/state", environment: ["CREDENTIALS_DIRECTORY": dir.path + "/credentials"])
        #expect(key.source == "credential intake-key")
    }
}

@Suite struct SysfsDeviceInspectorTests {
    /// Lays out a sysfs-like tree for block device MAJOR:MINOR under a USB device with these ids.
    func fakeSysfs(_ root: String, major: UInt64, minor: UInt64, vendor: String, product: String, serial: String?) throws {
        let fm = FileManager.default
        let usb = root + "/devices/pci0000:00/0000:00:14.0/usb1/1-2"
        let partition = usb + "/1-2:1.0/host3/target3:0:0/3:0:0:0/block/sdb/sdb1"
        try fm.createDirectory(atPath: partition, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/dev/block", withIntermediateDirectories: true)
        try Data("\(vendor)\n".utf8).write(to: URL(fileURLWithPath: usb + "/idVendor"))
        try Data("\(product)\n".utf8).write(to: URL(fileURLWithPath: usb + "/idProduct"))
        if let serial { try Data("\(serial)\n".utf8).write(to: URL(fileURLWithPath: usb + "/serial")) }
        try Data("2\n".utf8).write(to: URL(fileURLWithPath: usb + "/1-2:1.0/bInterfaceNumber"))
        try fm.createSymbolicLink(atPath: root + "/dev/block/\(major):\(minor)",
                                  withDestinationPath: "../../devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host3/target3:0:0/3:0:0:0/block/sdb/sdb1")
    }

    @Test func theUSBIdsAreFoundAboveTheMountedPartition() throws {
        let dir = TemporaryDirectory()
        // The real block device number of the temporary directory, as stat(2) gives it.
        var info = stat()
        #expect(stat(dir.path, &info) == 0)
        let (major, minor) = SysfsDeviceInspector.split(UInt64(info.st_dev))
        try fakeSysfs(dir.path + "/sys", major: major, minor: minor, vendor: "0951", product: "1666", serial: "AV-0042")
        let inspector = SysfsDeviceInspector(sysfsRoot: dir.path + "/sys")
        let found = try inspector.usbDevice(holding: dir.path)
        #expect(found == USBIdentity(vendor: "0951", product: "1666", serial: "AV-0042"))
        #expect(found?.matches(Configuration.ApprovedDevice(vendor: "0951", product: "1666", serial: "AV-0042")) == true)
        #expect(found?.matches(Configuration.ApprovedDevice(vendor: "0951", product: "1666", serial: "AV-0043")) == false)
    }

    @Test func aPathNotOnUSBHasNoIdentity() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/sys/dev/block", withIntermediateDirectories: true)
        #expect(try SysfsDeviceInspector(sysfsRoot: dir.path + "/sys").usbDevice(holding: dir.path) == nil)
        #expect(throws: SecrecyError.self) { try SysfsDeviceInspector(sysfsRoot: dir.path + "/sys").usbDevice(holding: dir.path + "/absent") }
    }

    @Test func deviceNumbersSplitAsGlibcDoes() {
        // makedev(8, 17) and makedev(259, 3) (an NVMe partition).
        #expect(SysfsDeviceInspector.split(0x811) == (8, 17))
        #expect(SysfsDeviceInspector.split((259 << 8) | 3) == (259, 3))
        // glibc's makedev for large numbers, split back.
        func makedev(_ major: UInt64, _ minor: UInt64) -> UInt64 {
            (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~UInt64(0xff)) << 12) | ((major & ~UInt64(0xfff)) << 32)
        }
        for (major, minor) in [(UInt64(0x1234), UInt64(0x56789)), (4095, 255), (4096, 256)] {
            #expect(SysfsDeviceInspector.split(makedev(major, minor)) == (major, minor))
        }
    }
}

extension AtRestEncryptionTests {
    @Test func leftoversOfAnInterruptedUploadOrCorrectionAreRemovedAtStart() throws {
        let dir = TemporaryDirectory()
        for name in ["deliver-1.pdf", "reclassify-2.pdf.sealed", "scan-3.pdf"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir.path + "/" + name))
        }
        ClassifiedFiles.removeLeftovers(stagingDirectory: dir.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["scan-3.pdf"])
    }
}
