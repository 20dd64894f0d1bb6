// Address text: normalisation, tokenising, parsing, then search and autocomplete over a small
// store. Any bytes (invalid UTF-8, zero-width and combining characters, huge numbers) give an
// answer without a crash; normalising is idempotent; results are ranked best first.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <diachi/search/address_parser.hpp>
#include <diachi/search/normalize.hpp>

#include "fuzz_store.hpp"
#include "fuzz_support.hpp"

using diachi::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) {
        return -1;  // the server refuses longer queries before they reach the search
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    namespace search = diachi::search;
    const std::string once = search::normalize(text);
    require(search::normalize(once) == once);
    (void)search::parse_address(text);
    (void)search::place_name(text);

    const auto& registry = diachi::fuzz::shared_store();
    const auto results = registry.search(text);
    require(results.size() <= 10);
    for (std::size_t i = 1; i < results.size(); ++i) {
        require(results[i - 1].score >= results[i].score);
    }
    require(registry.suggest(text, 5).size() <= 5);
    return 0;
}
