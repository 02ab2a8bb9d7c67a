import Appliance
import ArgumentParser
import Foundation
import Scanning
import Delivery
import PagePipeline

extension Intake {
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check or print the configuration.",
            discussion: """
            Examples:
              intake config validate                     # every problem with file:line
              intake config validate --config new.toml   # before installing a new file
              intake config show                          # effective values, secrets masked
              sudo intake config timesync                 # the centre as time source (timesyncd)
            """,
            subcommands: [Validate.self, Show.self, TimeSync.self]
        )
    }
}

extension Intake.Config {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every problem in the configuration file, with its line.",
            discussion: "When the configured scanner is connected (and the daemon is not holding it), each profile is also checked against the scanner's real options."
        )
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Do not open the scanner to check profiles.") var noDevice = false

        func run() async throws {
            let configuration: Configuration
            do {
                configuration = try global.loadConfiguration()
            } catch let error as ConfigurationError {
                for issue in error.issues { printError(issue.description) }
                printError("\(global.config): \(error.issues.count) problem(s)")
                throw ExitStatus.failure
            }
            var problems = 0
            for problem in SecrecyConfigurationCheck.problems(configuration) {
                printError("\(global.config): \(problem)")
                problems += 1
            }
            for target in configuration.targets {
                if let token = target.tokenFile {
                    do { _ = try BearerToken.load(path: token) } catch {
                        printError("\(global.config): targets '\(target.name)'.token_file: \(error)")
                        problems += 1
                    }
                }
            }
            if !noDevice, let device = configuration.device.name ?? configuration.device.model {
                do {
                    let scanner = try Daemon.saneLocator(configuration.device)()
                    defer { scanner.close() }
                    for (name, profile) in configuration.profiles.sorted(by: { $0.key < $1.key }) {
                        for error in scanner.validate(ScanRecipe(profile: profile).settings) {
                            printError("\(global.config): profiles.\(name): \(error.message) (\(error.detail))")
                            problems += 1
                        }
                    }
                    print("profiles checked against \(scanner.info.vendor) \(scanner.info.model) (\(scanner.info.name))")
                } catch {
                    print("note: scanner '\(device)' not checked: \(error)")
                }
            }
            if problems > 0 {
                printError("\(global.config): \(problems) problem(s)")
                throw ExitStatus.failure
            }
            print("\(global.config): OK — \(configuration.profiles.count) profile(s), \(configuration.triggers.count) trigger(s), \(configuration.targets.count) target(s)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective configuration, secrets masked.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            do {
                print(ConfigurationPrinter.render(try global.loadConfiguration()))
            } catch {
                throw fail(error)
            }
        }
    }
}
