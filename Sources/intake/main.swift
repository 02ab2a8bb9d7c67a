print("intake: not yet")
