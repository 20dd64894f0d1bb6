// diachi: the command-line tool. Each command lives in a run_<command>() function; this file
// dispatches and turns errors into exit codes.

#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include "cli.hpp"

namespace {

constexpr std::string_view usage = R"(usage: diachi COMMAND [ARGS] [--json]

Open Location Code (coordinates are WGS 84 decimal degrees, latitude first, read exactly):
  encode LAT LNG [--length N]      the code of a point (default 11 digits)
  decode CODE                      the area of a full code
  shorten CODE LAT LNG             drop the digits a nearby reference point implies
  recover SHORT LAT LNG            the full code nearest a reference point

Household codes (postcode + 7 grid characters, e.g. "11120 7Q89+XG2"):
  code parse CODE                  check and show every form of a household code
  code make POSTCODE LAT LNG [--unit N]
                                   the household code of a point in a commune
  code recover CODE LAT LNG [--max-distance-m M]
                                   candidate cells for a code near a reference point

Options:
  --json       print one JSON object instead of text
  --help       this text
  --version    the version

Exit status: 0 done, 1 input rejected (message on stderr), 2 usage error.
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace diachi::cli;
    std::vector<std::string_view> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        std::cout << usage;
        return words.empty() ? exit_usage : exit_ok;
    }
    if (words[0] == "--version") {
        std::cout << "diachi " << DIACHI_VERSION << '\n';
        return exit_ok;
    }
    const std::string_view command = words[0];
    const std::span<const std::string_view> rest(words.data() + 1, words.size() - 1);
    try {
        if (command == "encode") {
            return run_encode(rest);
        }
        if (command == "decode") {
            return run_decode(rest);
        }
        if (command == "shorten") {
            return run_shorten(rest);
        }
        if (command == "recover") {
            return run_recover(rest);
        }
        if (command == "code") {
            return run_code(rest);
        }
        throw UsageError("unknown command '" + std::string(command) + "'");
    } catch (const UsageError& e) {
        std::cerr << "diachi: " << e.what() << "\n\n" << usage;
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "diachi: " << e.what() << '\n';
        return exit_rejected;
    }
}
