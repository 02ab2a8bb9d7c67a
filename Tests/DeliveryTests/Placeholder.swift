import Testing

@Test func placeholderDeliveryTests() { #expect(Bool(true)) }
