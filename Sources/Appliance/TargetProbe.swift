import Delivery
import Foundation

/// The one probe of a delivery target: `doctor`'s reachability check and the trusted clock's
/// Date header both ask the same request (GET /health of an HTTP target; paperless-ngx's /api/;
/// a tus server's OPTIONS) with the target's own transport settings.
enum TargetProbe {
    static func request(for target: Configuration.Target) -> HTTPRequest {
        let url = (target.url ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return switch target.kind {
        case .paperless: HTTPRequest(method: "GET", url: url + "/api/")
        case .tus: HTTPRequest(method: "OPTIONS", url: target.url ?? "", headers: [.init(name: "Tus-Resumable", value: "1.0.0")])
        default: HTTPRequest(method: "GET", url: url + "/health")
        }
    }

    static func perform(
        _ target: Configuration.Target, connectTimeout: Duration? = nil, totalTimeout: Duration = .seconds(10)
    ) async throws -> HTTPResponse {
        var settings = ApplianceContext.transportSettings(target)
        if let connectTimeout { settings.connectTimeout = connectTimeout }
        settings.totalTimeout = totalTimeout
        return try await CurlTransport(settings: settings).perform(request(for: target))
    }
}
