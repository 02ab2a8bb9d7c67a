import IntakeCLI

await Intake.main()
