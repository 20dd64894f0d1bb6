#ifndef DIACHI_TESTS_TEST_DATA_HPP
#define DIACHI_TESTS_TEST_DATA_HPP

// Where the tests find ../shared/data, and a reader for its comma-separated files.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace diachi::test {

/// The reference data folder: $DIACHI_DATA_DIR, else the path CMake configured.
inline std::filesystem::path data_dir() {
    if (const char* env = std::getenv("DIACHI_DATA_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return DIACHI_TEST_DATA_DIR;
}

/// The file @p relative under data_dir(), or nothing if it is absent.
inline std::optional<std::filesystem::path> data_file(const std::string& relative) {
    auto path = data_dir() / relative;
    if (!std::filesystem::exists(path)) {
        return std::nullopt;
    }
    return path;
}

/// One data row: its 1-based line number and comma-separated fields.
struct CsvRow {
    int line = 0;
    std::vector<std::string> fields;
};

/// The rows of a CSV file, skipping blank lines and '#' comments.
inline std::vector<CsvRow> read_csv(const std::filesystem::path& path) {
    std::vector<CsvRow> rows;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        CsvRow row{number, {}};
        std::size_t start = 0;
        for (;;) {
            const std::size_t comma = line.find(',', start);
            row.fields.push_back(line.substr(start, comma - start));
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace diachi::test

/// Skips the current test, saying which data file is missing and how to provide it.
#define DIACHI_REQUIRE_DATA(var, relative)                                     \
    const auto var##_found = ::diachi::test::data_file(relative);              \
    if (!var##_found) {                                                        \
        GTEST_SKIP() << "reference data " << (relative) << " not found under " \
                     << ::diachi::test::data_dir()                             \
                     << " (set DIACHI_DATA_DIR to the shared/data folder)";    \
    }                                                                          \
    const std::filesystem::path& var = *var##_found

#endif  // DIACHI_TESTS_TEST_DATA_HPP
