import Foundation
import Registry
import Testing
@testable import Appliance

/// A device inspector that answers from a table: the path's USB identity, or nil (not on USB).
struct FakeDevices: RemovableDeviceInspector {
    var devices: [String: USBIdentity] = [:]
    func usbDevice(holding path: String) throws(SecrecyError) -> USBIdentity? { devices[path] }
}

@Suite struct ReleaseGateTests {
    static let registered = Date(timeIntervalSince1970: 1_795_000_000)
    static let usbAV = Configuration.ApprovedDevice(vendor: "0951", product: "1666", serial: "AV-0042")

    static let targets: [ReleaseGate.Target] = [
        .init(name: "central", classified: false, channel: .network(mutualTLS: false)),
        .init(name: "central-tls", classified: false, channel: .network(mutualTLS: true)),
        .init(name: "party-net", classified: true, channel: .network(mutualTLS: true)),
        .init(name: "party-net-no-client-cert", classified: true, channel: .network(mutualTLS: false)),
        .init(name: "usb-av", classified: true, channel: .removable(path: "/media/usb-av", approvedDevice: usbAV)),
        .init(name: "usb-plain", classified: false, channel: .removable(path: "/media/usb", approvedDevice: nil)),
    ]

    func gate(_ network: NetworkPosture, devices: FakeDevices = FakeDevices()) -> ReleaseGate {
        ReleaseGate(network: network, release: Configuration.Release(), targets: Self.targets, devices: devices)
    }

    func document(_ secrecy: Secrecy = .none, urgency: Urgency = .normal, storage: DocumentStorage? = nil,
                  marks: MarksCheck = .notRequired, state: RegisteredDocument.State = .registered) -> RegisteredDocument {
        RegisteredDocument(
            id: "000.00.00.H49-X-2026-000001-abcd", book: secrecy.isClassified ? "MAT" : "DEN", year: 2026, number: 1,
            arrivedAt: Self.registered, pages: 2, sha256: String(repeating: "a", count: 64), path: "/tmp/x.pdf",
            profile: "default", urgency: urgency, secrecy: secrecy, fields: RegisterFields(), state: state,
            voidReason: state == .voided ? "quét nhầm" : nil,
            storage: storage ?? (secrecy.isClassified ? .sealed : .plain), marksCheck: marks)
    }

    var afterWindow: Date { Self.registered.addingTimeInterval(3600) }

    func isHold(_ decision: ReleaseGate.Decision, mentioning text: String? = nil) -> Bool {
        guard case let .hold(reason) = decision else { return false }
        return text.map { reason.contains($0) } ?? true
    }

    @Test(arguments: targets.map(\.name))
    func tuyetMatIsRefusedByEveryTargetOnEveryBox(target: String) {
        for network in NetworkPosture.allCases {
            for storage in DocumentStorage.allCases {
                let decision = gate(network, devices: FakeDevices(devices: ["/media/usb-av": USBIdentity(vendor: "0951", product: "1666", serial: "AV-0042")]))
                    .decide(document(.tuyetMat, urgency: .hoaToc, storage: storage), to: target, now: afterWindow)
                #expect(isHold(decision, mentioning: "TUYỆT MẬT"), "\(network) \(storage) → \(decision)")
            }
        }
    }

    @Test(arguments: [Secrecy.mat, .toiMat, .sensitive])
    func classifiedIsRefusedByATargetWithoutMutualTLSEvenWhenDeclaredClassified(secrecy: Secrecy) {
        let decision = gate(.classified).decide(document(secrecy), to: "party-net-no-client-cert", now: afterWindow)
        #expect(isHold(decision, mentioning: "mTLS"), "\(decision)")
    }

    @Test(arguments: [Secrecy.mat, .toiMat, .sensitive])
    func classifiedIsRefusedByAnOrdinaryTargetEvenOverTLS(secrecy: Secrecy) {
        for target in ["central", "central-tls", "usb-plain"] {
            let decision = gate(.classified).decide(document(secrecy), to: target, now: afterWindow)
            #expect(isHold(decision, mentioning: "không phải nơi nhận văn bản mật"), "\(target): \(decision)")
        }
    }

    @Test(arguments: [Secrecy.mat, .toiMat, .sensitive])
    func anInternetBoxSendsNothingClassifiedAnywhere(secrecy: Secrecy) {
        for target in Self.targets.map(\.name) {
            let decision = gate(.internet).decide(document(secrecy), to: target, now: afterWindow)
            #expect(isHold(decision), "\(target): \(decision)")
        }
    }

    @Test func aSealedMatDocumentGoesToTheClassifiedMutualTLSTargetAfterItsWindow() {
        let g = gate(.classified)
        #expect(g.decide(document(.mat), to: "party-net", now: afterWindow) == .release)
        let early = g.decide(document(.mat), to: "party-net", now: Self.registered.addingTimeInterval(10))
        #expect(early == .wait(until: Self.registered.addingTimeInterval(180), reason: early.reason))
    }

    @Test func aClassifiedDocumentKeptPlainIsNeverSent() {
        let decision = gate(.classified).decide(document(.mat, storage: .plain), to: "party-net", now: afterWindow)
        #expect(isHold(decision, mentioning: "chưa được mã hóa"))
    }

    @Test func aDocumentNumberedWithoutPagesHasNothingToSend() {
        #expect(isHold(gate(.internet).decide(document(.mat, storage: DocumentStorage.none), to: "central", now: afterWindow),
                       mentioning: "không lưu bản quét"))
    }

    @Test func theHoldWindowDependsOnUrgencyAndEndsWithARelease() {
        let g = gate(.internet)
        let expected: [(Urgency, TimeInterval)] = [(.normal, 180), (.khan, 120), (.thuongKhan, 60), (.hoaToc, 30)]
        for (urgency, window) in expected {
            let doc = document(urgency: urgency)
            let waiting = g.decide(doc, to: "central", now: Self.registered.addingTimeInterval(window - 1))
            guard case let .wait(until, reason) = waiting else {
                Issue.record("\(urgency): expected a wait, got \(waiting)")
                continue
            }
            #expect(until == Self.registered.addingTimeInterval(window))
            #expect(reason.contains("sửa độ mật"))
            #expect(g.decide(doc, to: "central", now: Self.registered.addingTimeInterval(window)) == .release)
        }
    }

    @Test func urgencyNeverShortensTheSecrecyCheck() {
        let decision = gate(.classified).decide(document(.mat, urgency: .hoaToc), to: "central", now: Self.registered)
        #expect(isHold(decision))
    }

    @Test func thePendingMarksCheckIsWaitedForAndAFlaggedOneHolds() {
        let g = gate(.internet)
        let now = afterWindow
        #expect(g.decide(document(marks: .pending), to: "central", now: now) == .wait(until: now.addingTimeInterval(15), reason: g.decide(document(marks: .pending), to: "central", now: now).reason))
        #expect(isHold(g.decide(document(marks: .flagged), to: "central", now: now), mentioning: "dấu độ mật"))
        #expect(g.decide(document(marks: .passed), to: "central", now: now) == .release)
    }

    @Test func aVoidedDocumentAndAnUnknownTargetAreHeld() {
        let g = gate(.internet)
        #expect(isHold(g.decide(document(state: .voided), to: "central", now: afterWindow), mentioning: "đã hủy"))
        #expect(isHold(g.decide(document(), to: "gone", now: afterWindow), mentioning: "gone"))
    }

    @Test func theApprovedUSBDeviceMustBeTheOnePlugged() {
        let doc = document(.mat)
        let approved = USBIdentity(vendor: "0951", product: "1666", serial: "AV-0042")
        let other = USBIdentity(vendor: "0951", product: "1666", serial: "SOMEONE-ELSES")
        #expect(gate(.classified, devices: FakeDevices(devices: ["/media/usb-av": approved])).decide(doc, to: "usb-av", now: afterWindow) == .release)
        for devices in [FakeDevices(), FakeDevices(devices: ["/media/usb-av": other])] {
            let decision = gate(.classified, devices: devices).decide(doc, to: "usb-av", now: afterWindow)
            guard case let .wait(until, reason) = decision else {
                Issue.record("expected a wait, got \(decision)")
                continue
            }
            #expect(until > afterWindow)
            #expect(reason.contains("USB được phê duyệt"))
        }
    }

    @Test func theGateIsBuiltFromTheConfiguration() throws {
        var configuration = Configuration()
        configuration.network = .classified
        var tls = Configuration.Target(name: "party-net", kind: .http)
        tls.url = "https://vanban.mat.example/api"
        tls.clientCertificate = "/etc/intake/client.pem"
        tls.clientKey = "/etc/intake/client.key"
        tls.classified = true
        var plain = Configuration.Target(name: "plain", kind: .http)
        plain.url = "http://vanban.mat.example/api"
        plain.clientCertificate = "/etc/intake/client.pem"
        plain.clientKey = "/etc/intake/client.key"
        plain.classified = true
        configuration.targets = [tls, plain]
        let g = ReleaseGate(configuration, devices: FakeDevices())
        #expect(g.decide(document(.toiMat), to: "party-net", now: afterWindow) == .release)
        #expect(isHold(g.decide(document(.toiMat), to: "plain", now: afterWindow), mentioning: "mTLS"))
    }
}

extension ReleaseGate.Decision {
    var reason: String {
        switch self {
        case .release: ""
        case let .wait(_, reason), let .hold(reason): reason
        }
    }
}
