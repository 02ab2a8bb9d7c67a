import Testing

@Test func placeholderScanningTests() { #expect(Bool(true)) }
