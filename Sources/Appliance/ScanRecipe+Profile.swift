public import PagePipeline
import Imaging
import Scanning

extension ScanRecipe {
    /// What a configured profile scans with (the file-output defaults live in PagePipeline).
    public init(profile: Configuration.Profile) {
        self.init(
            settings: ScanSettings(
                source: profile.source,
                mode: profile.mode,
                resolution: profile.resolution,
                pageWidthMM: profile.pageWidthMM,
                pageHeightMM: profile.pageHeightMM,
                extraOptions: profile.deviceOptions,
                // Text of the longest form, so validating the profile checks the imprinter is there
                // and the text fits; ScanService puts the reserved number in before scanning.
                imprint: profile.imprint ? ImprintText.sample : nil
            ),
            removeBlankPages: profile.removeBlankPages,
            blankThreshold: profile.blankThreshold,
            jpegQuality: profile.jpegQuality
        )
        huffmanTables = profile.jpegOptimize ? .optimised : .trained
    }
}
