import Appliance
import Crypto
import Foundation

// At-rest encryption benchmark: seals or opens one file with AtRestCipher and prints the time.
// usage: atrest-bench seal|open <input> <output> <key-hex-file>
// Peak memory is measured around each run by run.sh (/usr/bin/time), so one mode per process.
let arguments = CommandLine.arguments
guard arguments.count == 5, ["seal", "open"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: atrest-bench seal|open <input> <output> <key-file>\n".utf8))
    exit(2)
}
var atRest = Configuration.AtRest()
atRest.keyFile = arguments[4]
let key = try AtRestKey.load(atRest, stateDirectory: "/nonexistent-state", environment: [:])
let cipher = AtRestCipher(key: key.key)
let started = ContinuousClock.now
let sha = arguments[1] == "seal" ? try cipher.seal(arguments[2], to: arguments[3]) : try cipher.open(arguments[2], to: arguments[3])
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let bytes = (try FileManager.default.attributesOfItem(atPath: arguments[2])[.size] as? Int) ?? 0
print(String(format: "%@\t%d\t%.3f\t%.1f\t%@", arguments[1], bytes, seconds, Double(bytes) / 1_048_576 / max(seconds, 1e-9), sha))
