print("intake-receiver: not yet")
