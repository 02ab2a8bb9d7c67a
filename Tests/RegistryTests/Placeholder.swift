import Testing

@Test func placeholderRegistryTests() { #expect(Bool(true)) }
