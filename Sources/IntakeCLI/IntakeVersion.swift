/// Version and build year; the build year is the earliest year the clock may show.
enum IntakeVersion {
    static let string = "0.1.0"
    static let buildYear = 2026
}
