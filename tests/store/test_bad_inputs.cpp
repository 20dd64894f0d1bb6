// The bad-input catalogue of the library's entry points: codes, coordinates, CRS transforms,
// zone files, registrations and address changes. Each malformed input and the exact error it
// gets (the error code, and the detail that says what was expected, or the message of the
// exception). The registry is left as it was after every refusal.

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <diachi/geography/transform.hpp>
#include <diachi/geography/zone_reader.hpp>
#include <diachi/household_code.hpp>
#include <diachi/lat_lng.hpp>
#include <diachi/olc.hpp>
#include <diachi/store/registry.hpp>

#include "../sample_zones.hpp"

using diachi::Error;
using diachi::ErrorCode;
using diachi::LatLngE7;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

struct Refusal {
    std::string what;
    std::function<Error()> call;
    ErrorCode code;
    std::string detail;  // a part of Error::detail
};

void expect_refusals(const std::vector<Refusal>& catalogue) {
    for (const auto& r : catalogue) {
        const Error e = r.call();
        EXPECT_EQ(e.code, r.code) << r.what << ": got " << diachi::name(e.code);
        EXPECT_NE(std::string(e.detail).find(r.detail), std::string::npos)
            << r.what << ": detail '" << e.detail << "'";
    }
}

template <typename T>
Error error_of(const diachi::Result<T>& result) {
    return result ? Error{} : result.error();
}

}  // namespace

TEST(BadInputs, CodesAndCoordinates) {
    using diachi::HouseholdCode;
    namespace olc = diachi::olc;
    expect_refusals({
        {"empty code", [] { return error_of(HouseholdCode::parse("")); }, ErrorCode::empty_input, ""},
        {"short code", [] { return error_of(HouseholdCode::parse("1102 2VH3")); }, ErrorCode::invalid_length, "12 characters"},
        {"zero-width space", [] { return error_of(HouseholdCode::parse("11024\u200b2VH3CM4")); }, ErrorCode::invalid_character, "grid character"},
        {"Cyrillic A", [] { return error_of(HouseholdCode::parse("1102\u04102VH3CM4")); }, ErrorCode::invalid_character, "postcode"},
        {"invalid UTF-8", [] { return error_of(HouseholdCode::parse("11024\xff" "2VH3CM4")); }, ErrorCode::invalid_character, ""},
        {"SQL", [] { return error_of(HouseholdCode::parse("' OR 1=1--")); }, ErrorCode::invalid_character, "postcode"},
        {"unit 0", [] { return error_of(HouseholdCode::parse("110242VH3CM4/0")); }, ErrorCode::bad_unit, ""},
        {"unit 10000", [] { return error_of(HouseholdCode::parse("110242VH3CM4/10000")); }, ErrorCode::bad_unit, ""},
        {"wrong check letter", [] { return error_of(HouseholdCode::parse("11024 2VH3+CM4-A")); }, ErrorCode::bad_check_character, ""},
        {"OLC with script", [] { return error_of(olc::decode("<script>")); }, ErrorCode::invalid_character, ""},
        {"short OLC decoded", [] { return error_of(olc::decode("9G8F+6X")); }, ErrorCode::not_full_code, ""},
        {"OLC NaN", [] { return error_of(olc::encode(not_a_number, 105.0)); }, ErrorCode::not_finite, ""},
        {"OLC infinity", [] { return error_of(olc::encode(21.0, infinity)); }, ErrorCode::not_finite, ""},
        {"location NaN", [] { return error_of(LatLngE7::from_degrees(not_a_number, 105.0)); }, ErrorCode::not_finite, ""},
        {"location -infinity", [] { return error_of(LatLngE7::from_degrees(21.0, -infinity)); }, ErrorCode::not_finite, ""},
        {"latitude 91", [] { return error_of(LatLngE7::from_degrees(91.0, 105.0)); }, ErrorCode::out_of_range, ""},
        {"decimal words", [] { return error_of(LatLngE7::from_decimal("abc", "105")); }, ErrorCode::malformed_number, ""},
        {"decimal exponent", [] { return error_of(LatLngE7::from_decimal("1e999", "105")); }, ErrorCode::malformed_number, ""},
        {"decimal empty", [] { return error_of(LatLngE7::from_decimal("", "105")); }, ErrorCode::empty_input, ""},
        {"decimal too many digits", [] { return error_of(LatLngE7::from_decimal("21.0000000000000000000000001", "105")); }, ErrorCode::ok, ""},
    });
}

TEST(BadInputs, TransformsAndZoneFiles) {
    namespace geo = diachi::geography;
    EXPECT_THROW(geo::Transform("EPSG:999999"), std::invalid_argument);
    EXPECT_THROW(geo::Transform("not a crs"), std::invalid_argument);
    EXPECT_THROW(geo::Transform("VN2000-TM3:200"), std::invalid_argument);
    const geo::Transform vn2000("VN2000-TM3:105.75");
    EXPECT_EQ(vn2000.to_wgs84({not_a_number, 2300000.0}).error().code, ErrorCode::not_finite);
    EXPECT_EQ(vn2000.to_wgs84({infinity, 2300000.0}).error().code, ErrorCode::not_finite);

    diachi::test::TempDir dir;
    const auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(dir / name, std::ios::binary) << bytes;
        return dir / name;
    };
    const auto message = [](const std::function<void()>& call) {
        try {
            call();
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string missing = dir / "missing.geojson";
    EXPECT_NE(message([&] { (void)geo::read_zones(missing); }).find(missing), std::string::npos);
    const auto truncated = write("truncated.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","geom)");
    EXPECT_NE(message([&] { (void)geo::read_zones(truncated); }).find(truncated), std::string::npos);
    const auto png = write("image.geojson", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    EXPECT_NE(message([&] { (void)geo::read_zones(png); }).find(png), std::string::npos);
    // A point where a commune's outline should be: the message names the file and the feature.
    const auto points = write("points.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"Z7","fullName":"Xã A","provinceCode":"P","provinceFullName":"Tỉnh B"},"geometry":{"type":"Point","coordinates":[105.9,20.3]}}]})");
    const std::string not_polygon = message([&] { (void)geo::read_zones(points); });
    EXPECT_NE(not_polygon.find(points), std::string::npos) << not_polygon;
    EXPECT_NE(not_polygon.find("feature 1"), std::string::npos) << not_polygon;
    // A field the options name that the file lacks: named, with the fields it has.
    const auto unnamed = write("unnamed.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"Z7"},"geometry":{"type":"Point","coordinates":[105.9,20.3]}}]})");
    EXPECT_NE(message([&] { (void)geo::read_zones(unnamed); }).find("no field 'fullName' (fields: code)"), std::string::npos);
    const auto postcodes = write("postcodes.csv", "commune_code_gso,postcode\n00001,1234\n");
    const std::string short_postcode = message([&] { (void)geo::read_postcode_table(postcodes); });
    EXPECT_NE(short_postcode.find(postcodes), std::string::npos) << short_postcode;
}

TEST(BadInputs, RegistrationsAndChanges) {
    diachi::test::TempDir dir;
    diachi::store::Registry registry(dir / "store");
    registry.import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
    diachi::store::Registration good;
    good.location = LatLngE7::from_degrees(20.3, 105.9).value();
    good.address.house_number = "5";
    const auto h = registry.register_household(good).value().household;

    const auto registering = [&](auto change) {
        return [&registry, good, change]() mutable {
            change(good);
            return error_of(registry.register_household(good));
        };
    };
    const auto changing = [&](diachi::store::Address address) {
        return [&registry, id = h.id, address] { return error_of(registry.update_address(id, address, "tester")); };
    };
    using R = diachi::store::Registration;
    expect_refusals({
        {"abroad", registering([](R& r) { r.location = LatLngE7::from_degrees(48.85, 2.35).value(); }), ErrorCode::outside_zones, ""},
        {"house number too long", registering([](R& r) { r.address.house_number = std::string(65, '9'); }), ErrorCode::invalid_length, "house number: at most 64 bytes"},
        {"street 100 KB", registering([](R& r) { r.address.street = std::string(100000, 'a'); }), ErrorCode::invalid_length, "street: at most 200 bytes"},
        {"hamlet not UTF-8", registering([](R& r) { r.address.hamlet = "X\xc3"; }), ErrorCode::invalid_character, "hamlet: well-formed UTF-8"},
        {"hamlet overlong '/'", registering([](R& r) { r.address.hamlet = "\xc0\xaf"; }), ErrorCode::invalid_character, "hamlet: well-formed UTF-8"},
        {"hamlet surrogate", registering([](R& r) { r.address.hamlet = "\xed\xa0\x80"; }), ErrorCode::invalid_character, "hamlet: well-formed UTF-8"},
        {"street newline", registering([](R& r) { r.address.street = "a\nb"; }), ErrorCode::invalid_character, "street: no control"},
        {"street NUL", registering([](R& r) { r.address.street = std::string("a\0b", 3); }), ErrorCode::invalid_character, "street: no control"},
        {"hamlet zero-width joiner", registering([](R& r) { r.address.hamlet = "Thôn\u200dA"; }), ErrorCode::invalid_character, "hamlet: no control or invisible"},
        {"head right-to-left override", registering([](R& r) { r.personal.head_of_household = "A\u202eB"; }), ErrorCode::invalid_character, "head of household"},
        {"phone byte order mark", registering([](R& r) { r.personal.phone = "\ufeff0912345678"; }), ErrorCode::invalid_character, "phone"},
        {"phone too long", registering([](R& r) { r.personal.phone = std::string(40, '0'); }), ErrorCode::invalid_length, "phone: at most 32 bytes"},
        {"external id C1 control", registering([](R& r) { r.external_id = "a\xc2\x85"; }), ErrorCode::invalid_character, "external id"},
        {"source too long", registering([](R& r) { r.source = std::string(101, 's'); }), ErrorCode::invalid_length, "source: at most 100 bytes"},
        {"update: tab", changing({"5", "a\tb", ""}), ErrorCode::invalid_character, "street: no control"},
        {"update: too long", changing({std::string(65, '1'), "", ""}), ErrorCode::invalid_length, "house number"},
        {"update: unknown id", [&] { return error_of(registry.update_address(999999, {}, "x")); }, ErrorCode::not_found, ""},
        {"move: unknown id", [&] { return error_of(registry.move(999999, good.location, "x")); }, ErrorCode::not_found, ""},
    });
    // Text that only looks like code is stored as text and comes back unchanged.
    good.address.street = "<script>alert(1)</script>'; DROP TABLE x;--";
    const auto stored = registry.register_household(good);
    ASSERT_TRUE(stored);
    EXPECT_EQ(registry.get(stored->household.id)->address.street, good.address.street);

    EXPECT_EQ(registry.household_count(), 2U) << "a refused registration was written";
    EXPECT_EQ(registry.get(h.id)->address.house_number, "5") << "a refused change was written";
    EXPECT_EQ(registry.history(h.id).size(), 1U);
    EXPECT_TRUE(registry.check().ok());
}
