import Testing

@Test func placeholderSystemTests() { #expect(Bool(true)) }
