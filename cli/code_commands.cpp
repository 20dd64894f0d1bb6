// The code-scheme commands: encode, decode, shorten, recover and code parse/make/recover.

#include <array>
#include <cmath>
#include <iostream>
#include <vector>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>

#include "cli.hpp"

namespace diachi::cli {
namespace {

constexpr std::array<std::string_view, 1> json_flag = {"--json"};

/// A point typed as decimal text, placed on the grid exactly (no binary rounding).
Result<olc::GridPoint> typed_point(std::string_view lat, std::string_view lng) {
    return olc::grid_point_from_decimal(lat, lng);
}

std::string area_json(const olc::CodeArea& area) {
    return JsonObject{}
        .field("south", area.south_deg())
        .field("west", area.west_deg())
        .field("north", area.north_deg())
        .field("east", area.east_deg())
        .field("center_lat", area.center_lat_deg())
        .field("center_lng", area.center_lng_deg())
        .str();
}

void print_area(const olc::CodeArea& area) {
    std::cout << "length  " << area.length << '\n'
              << "south   " << number_text(area.south_deg()) << '\n'
              << "west    " << number_text(area.west_deg()) << '\n'
              << "north   " << number_text(area.north_deg()) << '\n'
              << "east    " << number_text(area.east_deg()) << '\n'
              << "center  " << number_text(area.center_lat_deg()) << ' '
              << number_text(area.center_lng_deg()) << '\n';
}

int print_household(const HouseholdCode& code, bool json) {
    if (json) {
        std::cout << JsonObject{}
                         .field("canonical", code.canonical().view())
                         .field("display", code.display().view())
                         .field("display_checked", code.display_checked().view())
                         .field("postcode", diachi::postcode_text(code.postcode()).str())
                         .field("grid", code.grid().view())
                         .field("unit", static_cast<long>(code.unit()))
                         .field("check", std::string(1, code.check_character()))
                         .str()
                  << '\n';
    } else {
        std::cout << "canonical  " << code.canonical().view() << '\n'
                  << "display    " << code.display().view() << '\n'
                  << "checked    " << code.display_checked().view() << '\n'
                  << "postcode   " << diachi::postcode_text(code.postcode()).str() << '\n'
                  << "grid       " << code.grid().view() << '\n'
                  << "unit       " << code.unit() << '\n'
                  << "check      " << code.check_character() << '\n';
    }
    return exit_ok;
}

int run_code_parse(std::span<const std::string_view> words) {
    const Args args(words, {}, json_flag);
    args.expect_at_most(1);
    const std::string_view text = args.positional(0, "CODE");
    const auto code = HouseholdCode::parse(text);
    if (!code) {
        return report(code.error(), text, args.flag("--json"));
    }
    return print_household(*code, args.flag("--json"));
}

int run_code_make(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--unit"};
    const Args args(words, value_options, json_flag);
    args.expect_at_most(3);
    const std::string_view postcode = args.positional(0, "POSTCODE");
    const std::string_view lat = args.positional(1, "LAT");
    const std::string_view lng = args.positional(2, "LNG");
    const auto unit =
        static_cast<std::uint16_t>(args.integer_option("--unit", 1, 1, HouseholdCode::max_unit));
    const bool json = args.flag("--json");
    if (postcode.size() != 5 ||
        postcode.find_first_not_of("0123456789") != std::string_view::npos) {
        return report(Error{ErrorCode::out_of_range, 0, 0, "a postcode has 5 digits"}, postcode,
                      json);
    }
    const auto point = typed_point(lat, lng);
    if (!point) {
        return report(point.error(), std::string(lat) + " " + std::string(lng), json);
    }
    const auto code = HouseholdCode::from_grid(
        static_cast<std::uint32_t>(std::stoul(std::string(postcode))), *point, unit);
    if (!code) {
        return report(code.error(), postcode, json);
    }
    return print_household(*code, json);
}

int run_code_recover(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--max-distance-m"};
    const Args args(words, value_options, json_flag);
    args.expect_at_most(3);
    const std::string_view text = args.positional(0, "CODE");
    const std::string_view lat = args.positional(1, "LAT");
    const std::string_view lng = args.positional(2, "LNG");
    const double reach = args.number_option("--max-distance-m", 100'000.0);
    const bool json = args.flag("--json");
    const auto code = HouseholdCode::parse(text);
    if (!code) {
        return report(code.error(), text, json);
    }
    const auto point = typed_point(lat, lng);
    if (!point) {
        return report(point.error(), std::string(lat) + " " + std::string(lng), json);
    }
    std::vector<RecoveredCell> cells;
    code->recover(*point, reach, &cells);
    if (json) {
        std::string list = "[";
        for (const auto& cell : cells) {
            if (list.size() > 1) {
                list += ',';
            }
            list += JsonObject{}
                        .field("code", cell.code.view())
                        .field("distance_m", cell.distance_m)
                        .raw("area", area_json(cell.area))
                        .str();
        }
        std::cout << JsonObject{}
                         .field("canonical", code->canonical().view())
                         .raw("candidates", list + "]")
                         .str()
                  << '\n';
    } else {
        for (const auto& cell : cells) {
            std::cout << cell.code.view() << "  " << number_text(std::round(cell.distance_m))
                      << " m\n";
        }
    }
    return exit_ok;
}

}  // namespace

int run_encode(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--length"};
    const Args args(words, value_options, json_flag);
    args.expect_at_most(2);
    const std::string_view lat = args.positional(0, "LAT");
    const std::string_view lng = args.positional(1, "LNG");
    const int length = static_cast<int>(args.integer_option("--length", 11, 2, 15));
    const bool json = args.flag("--json");
    const auto point = typed_point(lat, lng);
    if (!point) {
        return report(point.error(), std::string(lat) + " " + std::string(lng), json);
    }
    const auto code = olc::encode(*point, length);
    if (!code) {
        return report(code.error(), std::to_string(length), json);
    }
    if (json) {
        std::cout << JsonObject{}.field("code", code->view()).field("length", long{length}).str()
                  << '\n';
    } else {
        std::cout << code->view() << '\n';
    }
    return exit_ok;
}

int run_decode(std::span<const std::string_view> words) {
    const Args args(words, {}, json_flag);
    args.expect_at_most(1);
    const std::string_view text = args.positional(0, "CODE");
    const bool json = args.flag("--json");
    const auto area = olc::decode(text);
    if (!area) {
        return report(area.error(), text, json);
    }
    if (json) {
        std::cout << JsonObject{}
                         .field("code", text)
                         .field("length", long{area->length})
                         .raw("area", area_json(*area))
                         .str()
                  << '\n';
    } else {
        print_area(*area);
    }
    return exit_ok;
}

namespace {

/// shorten and recover: CODE LAT LNG in, a code out; @p in_key and @p out_key name the JSON
/// fields of the input and the result.
template <typename Operation>
int run_code_with_reference(std::span<const std::string_view> words, std::string_view in_key,
                            std::string_view out_key, Operation operation) {
    const Args args(words, {}, json_flag);
    args.expect_at_most(3);
    const std::string_view text = args.positional(0, "CODE");
    const auto point = typed_point(args.positional(1, "LAT"), args.positional(2, "LNG"));
    const bool json = args.flag("--json");
    if (!point) {
        return report(point.error(), text, json);
    }
    const Result<olc::Code> code = operation(text, *point);
    if (!code) {
        return report(code.error(), text, json);
    }
    if (json) {
        std::cout << JsonObject{}.field(in_key, text).field(out_key, code->view()).str() << '\n';
    } else {
        std::cout << code->view() << '\n';
    }
    return exit_ok;
}

}  // namespace

int run_shorten(std::span<const std::string_view> words) {
    return run_code_with_reference(
        words, "code", "short",
        [](std::string_view c, olc::GridPoint p) { return olc::shorten(c, p); });
}

int run_recover(std::span<const std::string_view> words) {
    return run_code_with_reference(
        words, "short", "code",
        [](std::string_view c, olc::GridPoint p) { return olc::recover_nearest(c, p); });
}

int run_code(std::span<const std::string_view> words) {
    if (words.empty()) {
        throw UsageError("code needs a subcommand: parse, make or recover");
    }
    const std::string_view sub = words[0];
    const auto rest = words.subspan(1);
    if (sub == "parse") {
        return run_code_parse(rest);
    }
    if (sub == "make") {
        return run_code_make(rest);
    }
    if (sub == "recover") {
        return run_code_recover(rest);
    }
    throw UsageError("unknown code subcommand '" + std::string(sub) + "'");
}

}  // namespace diachi::cli
