import ArgumentParser
import IntakeCLI

@main
struct IntakeMain {
    static func main() async {
        await Intake.main(nil)
    }
}
