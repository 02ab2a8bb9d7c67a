import Scanning

/// A fake scanner that only produces pages: no options, no buttons, nothing to set or close.
protocol PageOnlyScanner: Scanning.Scanner {}

extension PageOnlyScanner {
    func options() throws -> [ScanOption] { [] }
    func setOption(_ name: String, to value: OptionValue) throws {}
    func apply(_ settings: ScanSettings) throws {}
    func validate(_ settings: ScanSettings) -> [ScanError] { [] }
    func pressedButtons() throws -> Set<String> { [] }
    func close() {}
}
