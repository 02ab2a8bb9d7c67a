/// Version and build year; the build year is the earliest year the clock may show.
public enum IntakeVersion {
    public static let string = "0.1.0"
    public static let buildYear = 2026
}
