import Delivery

extension ApplianceContext {
    /// A paperless-ngx or tus target from its configuration.
    func makeResumableTarget(_ target: Configuration.Target) throws -> any DeliveryTarget {
        let transport = try CurlTransport(settings: Self.transportSettings(target))
        let token = try target.tokenFile.map { try BearerToken.load(path: $0) }
        switch target.kind {
        case .paperless:
            var mapping = target.paperless
            if !target.asnBooksConfigured {
                mapping.asnBooks = [configuration.books.ordinary: 0, configuration.books.classified: 1]
            }
            return PaperlessTarget(name: target.name, baseURL: target.url ?? "", token: token ?? "", mapping: mapping,
                                   secureNetwork: target.classified, taskTimeout: target.taskTimeout, transport: transport)
        default:
            return TusTarget(name: target.name, endpoint: target.url ?? "", token: token, chunkSize: target.chunkSize,
                             secureNetwork: target.classified, transport: transport)
        }
    }
}
