// The importers: bytes as a file of type DIACHI_FUZZ_EXTENSION ("csv" for fuzz_import_csv,
// "geojson" for fuzz_import_geojson), imported into a small store. A bad file is refused with a message naming it; bad
// rows are reported with their row number; nothing crashes.

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include <diachi/store/importer.hpp>

#include "fuzz_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const diachi::test::TempDir dir;
    const std::string path = dir / ("input." DIACHI_FUZZ_EXTENSION);
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                    static_cast<std::streamsize>(size));
    diachi::store::ImportOptions options;
    options.batch_size = 64;
    try {
        const auto summary = diachi::store::import_households(diachi::fuzz::shared_store(), path, options);
        const auto& c = summary.counts;
        if (c.created + c.existing + c.failed != c.rows || summary.errors.size() > c.failed) {
            std::abort();
        }
        for (const auto& e : summary.errors) {
            if (e.row == 0 || e.row > c.rows || e.message.empty()) {
                std::abort();
            }
        }
    } catch (const std::runtime_error& e) {
        if (std::string(e.what()).find(path) == std::string::npos) {
            std::abort();  // a refused file is named in the message
        }
    }
    return 0;
}
