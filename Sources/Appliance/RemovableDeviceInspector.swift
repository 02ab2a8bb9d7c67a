public import IntakeCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The USB identity of a storage device: vendor and product ids and serial number.
public struct USBIdentity: Sendable, Equatable, CustomStringConvertible {
    public var vendor: String
    public var product: String
    public var serial: String?

    public init(vendor: String, product: String, serial: String?) {
        self.vendor = vendor.lowercased()
        self.product = product.lowercased()
        self.serial = serial
    }

    public var description: String { "\(vendor):\(product) serial \(serial ?? "(none)")" }

    public func matches(_ approved: Configuration.ApprovedDevice) -> Bool {
        vendor == approved.vendor.lowercased() && product == approved.product.lowercased() && serial == approved.serial
    }
}

/// Tells which USB device holds a path (the drive a directory target writes to).
/// Production reads sysfs; unit tests hand in a fake.
public protocol RemovableDeviceInspector: Sendable {
    /// The USB device holding the file system that `path` is on; nil when it is not on USB.
    func usbDevice(holding path: String) throws(SecrecyError) -> USBIdentity?
}

/// Finds the device by the path's file system: stat(2) gives the block device number, sysfs
/// `/sys/dev/block/MAJOR:MINOR` links to the device under its USB parent, whose `idVendor`,
/// `idProduct` and `serial` files are the ids udev reports as ID_VENDOR_ID/ID_MODEL_ID/ID_SERIAL_SHORT.
public struct SysfsDeviceInspector: RemovableDeviceInspector {
    /// "/sys" on a real box; a directory laid out like it in tests.
    public let sysfsRoot: String

    public init(sysfsRoot: String = "/sys") {
        self.sysfsRoot = sysfsRoot
    }

    public func usbDevice(holding path: String) throws(SecrecyError) -> USBIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SecrecyError(.notAllowed, "Chưa cắm thiết bị lưu trữ được phê duyệt.",
                               detail: "stat \(path): \(String(cString: strerror(errno)))")
        }
        let (major, minor) = Self.split(UInt64(info.st_dev))
        return identity(major: major, minor: minor)
    }

    /// The USB identity behind block device MAJOR:MINOR, walking up from its sysfs node.
    public func identity(major: UInt64, minor: UInt64) -> USBIdentity? {
        let link = "\(sysfsRoot)/dev/block/\(major):\(minor)"
        var directory = URL(fileURLWithPath: link).resolvingSymlinksInPath().path
        let root = URL(fileURLWithPath: sysfsRoot).resolvingSymlinksInPath().path
        while directory.hasPrefix(root), directory.count > root.count {
            if let vendor = Self.value(directory + "/idVendor"), let product = Self.value(directory + "/idProduct") {
                return USBIdentity(vendor: vendor, product: product, serial: Self.value(directory + "/serial"))
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// glibc's gnu_dev_major / gnu_dev_minor.
    static func split(_ device: UInt64) -> (UInt64, UInt64) {
        let major = ((device & 0x0000_0000_000f_ff00) >> 8) | ((device & 0xffff_f000_0000_0000) >> 32)
        let minor = (device & 0x0000_0000_0000_00ff) | ((device & 0x0000_0fff_fff0_0000) >> 12)
        return (major, minor)
    }

    private static func value(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
