import Testing
@testable import Scanning

/// Counts presses the way the daemon does: a name that appears in a poll and was not in the previous one.
private struct PressCounter {
    var previous = Set<String>()
    var presses: [String: Int] = [:]

    mutating func poll(_ scanner: any Scanning.Scanner) throws {
        let now = try scanner.pressedButtons()
        for name in now.subtracting(previous) { presses[name, default: 0] += 1 }
        previous = now
    }
}

struct ButtonTests {
    @Test func boolIntAndStringButtonsFireOncePerPress() throws {
        let cases: [(file: String, button: String, pressed: OptionValue, idle: OptionValue)] = [
            ("fujitsu-fi-7160.json", "scan", .bool(true), .bool(false)),
            ("canon_dr-dr-c225.json", "start", .bool(true), .bool(false)),
            ("hp5590-7650.json", "button-pressed", .string("email"), .string("none")),
            ("avision-av220.json", "message", .string("SCAN 1"), .string("")),
            ("pixma-mx920.json", "button-1", .int(1), .int(0)),
            ("genesys-lide120.json", "copy", .bool(true), .bool(false)),
        ]
        for c in cases {
            let (scanner, device) = try DeviceDescriptions.open(c.file)
            var counter = PressCounter()
            try counter.poll(scanner)
            for _ in 0..<2 {
                device.hardware(c.button, c.pressed)
                try counter.poll(scanner)
                try counter.poll(scanner)   // still held, or the value stays changed
                device.hardware(c.button, c.idle)
                try counter.poll(scanner)
                try counter.poll(scanner)
            }
            #expect(counter.presses[c.button] == 2, "\(c.file) \(c.button): \(counter.presses)")
            if case .string(let s) = c.pressed {
                #expect(counter.presses["\(c.button)=\(s)"] == 2, "\(c.file): value-specific name")
            }
        }
    }

    @Test func aLatchingIntButtonFiresOnEachChangeOfValue() throws {
        // fujitsu.c:4561 `function` holds the number on the panel: each press moves it on, never back to 0.
        let (scanner, device) = try DeviceDescriptions.open("fujitsu-fi-7160.json")
        var counter = PressCounter()
        try counter.poll(scanner)
        for value in [2, 2, 3, 3, 3, 4] {
            device.hardware("function", .int(value))
            try counter.poll(scanner)
        }
        #expect(counter.presses["function"] == 3)
        #expect(counter.presses["function=3"] == 1)
    }

    @Test func sensorsSettingsAndCountersNeverReadAsPresses() throws {
        let cases: [(file: String, option: String, values: [OptionValue])] = [
            ("fujitsu-fi-7160.json", "page-loaded", [.bool(false), .bool(true), .bool(false), .bool(true)]),
            ("fujitsu-fi-7160.json", "cover-open", [.bool(true), .bool(false), .bool(true)]),
            ("fujitsu-fi-7160.json", "double-feed", [.bool(true), .bool(false)]),
            ("fujitsu-fi-7160.json", "power-save", [.bool(true), .bool(false)]),
            ("fujitsu-fi-7160.json", "error-code", [.int(3), .int(0), .int(7)]),
            ("canon_dr-dr-c225.json", "counter", [.int(1043), .int(1044), .int(1045)]),
            ("canon_dr-dr-c225.json", "adf-loaded", [.bool(false), .bool(true)]),
            ("hp5590-7650.json", "doc-in-adf", [.bool(true), .bool(false), .bool(true)]),
            ("pixma-mx920.json", "adf-status", [.int(1), .int(0), .int(1)]),
            ("epjitsu-s1300i.json", "top-edge", [.bool(true), .bool(false)]),
        ]
        for c in cases {
            let (scanner, device) = try DeviceDescriptions.open(c.file)
            var counter = PressCounter()
            try counter.poll(scanner)
            for value in c.values {
                device.hardware(c.option, value)
                try counter.poll(scanner)
            }
            #expect(counter.presses.isEmpty, "\(c.file) \(c.option): \(counter.presses)")
        }
    }

    @Test(arguments: [
        ("wait-for-button", ScanOption.ValueType.bool, ButtonKind.setting),
        ("roller-counter", .int, .counter),
        ("total-counter", .int, .counter),
        ("counter", .int, .counter),
        ("page-loaded", .bool, .sensor),
        ("cover-open", .bool, .sensor),
        ("double-feed", .bool, .sensor),
        ("power-save", .bool, .sensor),
        ("doc-in-adf", .bool, .sensor),
        ("button-pressed", .string, .button),
        ("message", .string, .button),
        ("function", .int, .button),
        ("button-1", .int, .button),
        ("scan", .bool, .button),
        ("newfile", .bool, .button),
        ("button-update", .button, .other),
    ])
    func optionsAreClassifiedByWhatTheyMean(name: String, type: ScanOption.ValueType, kind: ButtonKind) {
        let option = ScanOption(index: 1, name: name, title: name, description: "", group: nil, type: type, unit: .none,
                                count: 1, constraint: .none, value: nil, isSettable: false, isReadable: true, isActive: true,
                                isAdvanced: true, isHardwareSelected: true)
        #expect(ButtonKind.classify(option, map: ButtonMap()) == kind)
    }

    @Test func aButtonMapWatchesAndIgnoresOptionsByName() throws {
        let (scanner, device) = try DeviceDescriptions.open("fujitsu-fi-7160.json", buttons: ButtonMap(watch: ["manual-feed"], ignore: ["scan"]))
        var counter = PressCounter()
        try counter.poll(scanner)
        device.hardware("scan", .bool(true))
        device.hardware("manual-feed", .bool(true))
        try counter.poll(scanner)
        #expect(counter.presses == ["manual-feed": 1])
    }

    @Test func onlyButtonOptionsAreReadWhilePollingAndPixmaIsAskedFirst() throws {
        let (scanner, device) = try DeviceDescriptions.open("pixma-mx920.json")
        _ = try scanner.pressedButtons()
        _ = try scanner.pressedButtons()
        #expect(Set(device.reads) == ["button-1", "button-2"])
        #expect(device.writes.map(\.name) == ["button-update", "button-update"])
        // A press is seen only after button-update asks the device (pixma.c update_button_state).
        device.hardware("button-2", .int(1))
        #expect(try scanner.pressedButtons().contains("button-2"))
    }
}
