import Testing

@Test func placeholderApplianceTests() { #expect(Bool(true)) }
