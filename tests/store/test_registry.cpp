// The household registry on generated zones: codes and units, resolution (cells, moves, old or
// mistyped postcodes, did-you-mean), nearest and box queries against brute force, history,
// personal fields, idempotent external ids, persistence, read-only copies.

#include <algorithm>
#include <array>
#include <random>
#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <diachi/store/registry.hpp>
#include <diachi/web_mercator.hpp>

#include "../sample_zones.hpp"

using diachi::ErrorCode;
using diachi::HouseholdCode;
using diachi::LatLngE7;
using diachi::store::Access;
using diachi::store::Household;
using diachi::store::Registration;
using diachi::store::Registry;
using diachi::store::ResolveMatch;

namespace {

LatLngE7 at(double lat, double lng) { return LatLngE7::from_degrees(lat, lng).value(); }

Registration at_point(LatLngE7 p, std::string hamlet = "Thôn Liên Trì 2") {
    Registration r;
    r.location = p;
    r.address.house_number = "5";
    r.address.hamlet = std::move(hamlet);
    r.source = "test";
    r.actor = "tester";
    return r;
}

class RegistryTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry = std::make_unique<Registry>(dir / "store");
        registry->import_zones(diachi::test::grid_zones(4, 5),
                               {{"Tỉnh Mẫu", {43, 44}}, {"Tỉnh Khác", {50}}});
    }
    Household add(LatLngE7 p) {
        return registry->register_household(at_point(p)).value().household;
    }

    diachi::test::TempDir dir;
    std::unique_ptr<Registry> registry;
};

}  // namespace

TEST_F(RegistryTest, CodesComeFromTheCommunePostcodeAndTheCell) {
    const LatLngE7 p = at(20.2251234, 105.8751234);  // zone Z0-1, postcode 43002
    const Household a = add(p);
    EXPECT_EQ(a.code.postcode(), 43002U);
    EXPECT_EQ(a.code, HouseholdCode::from_grid(43002, p.grid_point()).value());
    EXPECT_EQ(a.code.unit(), 1);
    EXPECT_EQ(a.zone_id, "Z0-1");
    EXPECT_EQ(a.commune, "Xã Mẫu 2");
    EXPECT_EQ(a.province, "Tỉnh Mẫu");
    EXPECT_EQ(a.location, p);
    // Two more in the same 3 m cell get the next units.
    const Household b = add(LatLngE7{p.lat_e7 + 3, p.lng_e7 + 3});
    const Household c = add(p);
    EXPECT_EQ(b.code, a.code.with_unit(2));
    EXPECT_EQ(c.code, a.code.with_unit(3));
    EXPECT_NE(a.id, b.id);
}

TEST_F(RegistryTest, CodesAreNeverReused) {
    const LatLngE7 p = at(20.33, 105.93);
    const Household a = add(p);
    const Household b = add(p);
    ASSERT_TRUE(registry->retire(b.id, "tester", "house demolished"));
    EXPECT_EQ(add(p).code.unit(), 3);
    ASSERT_TRUE(registry->move(a.id, at(20.34, 105.94), "tester"));
    EXPECT_EQ(add(p).code.unit(), 4);
    std::set<std::uint64_t> keys;
    for (std::uint64_t id = 1; id <= registry->household_count(); ++id) {
        EXPECT_TRUE(keys.insert(registry->get(id).value().code.key()).second);
    }
}

TEST_F(RegistryTest, ResolveTheCodeOrEveryHouseholdInTheCell) {
    const LatLngE7 p = at(20.39, 105.81);
    const Household a = add(p);
    const Household b = add(p);
    const auto one = registry->resolve(std::string(b.code.display().view()));
    ASSERT_TRUE(one);
    EXPECT_EQ(one->match, ResolveMatch::exact);
    ASSERT_EQ(one->households.size(), 1U);
    EXPECT_EQ(one->households[0].id, b.id);
    const auto cell = registry->resolve(std::string(a.code.canonical().view()));
    ASSERT_TRUE(cell);
    ASSERT_EQ(cell->households.size(), 2U);
    EXPECT_EQ(cell->households[0].id, a.id);
    EXPECT_EQ(cell->households[1].id, b.id);
    // Any written form, and a checked one.
    EXPECT_TRUE(registry->resolve(std::string(b.code.display_checked().view())));
    const auto malformed = registry->resolve("4300I 7Q89+XG2");
    ASSERT_FALSE(malformed);
    EXPECT_EQ(malformed.error().code, ErrorCode::invalid_character);
    EXPECT_EQ(malformed.error().position, 5U);
}

TEST_F(RegistryTest, ACellListsEveryUnitHoweverItCame) {
    // Unit 1 of a cell says while it is alone there, so that resolving the cell is one lookup.
    // Each way a second unit comes must undo that: a later registration, a second row of the
    // same batch, a move into the cell, a registration after an update. Written and ingested.
    const auto cell = [&](const Household& h) {
        const auto resolved = registry->resolve(h.code.with_unit(1).canonical().view());
        std::vector<std::uint64_t> ids;
        for (const auto& found : resolved.value().households) {
            ids.push_back(found.id);
        }
        return ids;
    };
    using Ids = std::vector<std::uint64_t>;
    for (const std::size_t ingest_min_batch : {std::size_t{0}, std::size_t{2}}) {
        SCOPED_TRACE(ingest_min_batch == 0 ? "written" : "ingested");
        diachi::store::RegistryOptions options;
        options.ingest_min_batch = ingest_min_batch;
        registry.reset();
        registry = std::make_unique<Registry>(dir / "store", options);
        const double lat = ingest_min_batch == 0 ? 20.22 : 20.32;
        const auto point = [&](int i) { return at(lat + 0.003 * i, 105.82 + 0.004 * i); };
        const Household a = add(point(0));
        EXPECT_EQ(cell(a), Ids{a.id});
        const std::array batch{at_point(point(0)), at_point(point(1)), at_point(point(1)),
                               at_point(point(2))};
        std::vector<diachi::Result<diachi::store::Registered>> out;
        registry->register_households(batch, &out);
        ASSERT_EQ(out.size(), 4U);
        std::vector<Household> added;
        for (const auto& r : out) {
            added.push_back(r.value().household);
        }
        EXPECT_EQ(added[0].code, a.code.with_unit(2));
        EXPECT_EQ(cell(a), (Ids{a.id, added[0].id}));
        EXPECT_EQ(cell(added[1]), (Ids{added[1].id, added[2].id}));
        EXPECT_EQ(cell(added[3]), Ids{added[3].id});
        // A move into a cell of one.
        const Household b = add(point(3));
        const auto moved = registry->move(added[3].id, point(3), "tester").value();
        EXPECT_EQ(moved.code, b.code.with_unit(2));
        EXPECT_EQ(cell(b), (Ids{b.id, added[3].id}));
        // An update, then a registration beside it.
        const Household c = add(point(4));
        diachi::store::Address address = c.address;
        address.street = "Ngõ 4";
        ASSERT_TRUE(registry->update_address(c.id, address, "tester"));
        const Household d = add(point(4));
        EXPECT_EQ(cell(c), (Ids{c.id, d.id}));
        const auto report = registry->check();
        EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    }
}

TEST_F(RegistryTest, AMovedHouseholdKeepsItsOldCode) {
    const Household a = add(at(20.21, 105.81));
    const auto moved = registry->move(a.id, at(20.37, 105.99), "tester");
    ASSERT_TRUE(moved);
    EXPECT_NE(moved->code, a.code);
    EXPECT_EQ(moved->zone_id, "Z3-3");
    const auto old = registry->resolve(std::string(a.code.canonical().view()));
    ASSERT_TRUE(old);
    EXPECT_EQ(old->match, ResolveMatch::moved);
    ASSERT_EQ(old->households.size(), 1U);
    EXPECT_EQ(old->households[0].code, moved->code);
    ASSERT_FALSE(old->notes.empty());
    EXPECT_NE(old->notes[0].find("moved"), std::string::npos);
    const auto now = registry->resolve(std::string(moved->code.canonical().view()));
    ASSERT_TRUE(now);
    EXPECT_EQ(now->match, ResolveMatch::exact);
}

TEST_F(RegistryTest, OldOrMistypedPostcodesStillResolve) {
    const Household a = add(at(20.31, 105.96));  // Z2-3, postcode 43014
    ASSERT_EQ(a.code.postcode(), 43014U);
    const std::string grid(a.code.grid().view());
    // 44 is an old prefix of the same province (in the prefix table).
    const auto old = registry->resolve("44123" + grid);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->match, ResolveMatch::postcode_replaced);
    ASSERT_EQ(old->households.size(), 1U);
    EXPECT_EQ(old->households[0].id, a.id);
    EXPECT_EQ(old->code.postcode(), 43014U);
    EXPECT_NE(old->notes.at(0).find("not current"), std::string::npos);
    // A one-digit typo with an unknown prefix.
    const auto typo = registry->resolve("49014" + grid);
    ASSERT_TRUE(typo);
    EXPECT_EQ(typo->match, ResolveMatch::postcode_replaced);
    ASSERT_EQ(typo->households.size(), 1U);
    EXPECT_EQ(typo->households[0].id, a.id);
    // Two typos in the postcode and a prefix of another province: nothing.
    const auto far = registry->resolve("50099" + grid);
    ASSERT_TRUE(far);
    EXPECT_EQ(far->match, ResolveMatch::not_found);
}

TEST_F(RegistryTest, UnknownCodesSuggestRegisteredNeighbours) {
    const Household a = add(at(20.26, 105.86));
    std::string text(a.code.canonical().view());
    std::string swapped = text;
    std::size_t i = 5;
    while (text[i] == text[i + 1]) {
        ++i;
    }
    std::swap(swapped[i], swapped[i + 1]);
    ASSERT_NE(swapped, text);
    const auto r = registry->resolve(swapped);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->match, ResolveMatch::not_found);
    ASSERT_EQ(r->suggestions.size(), 1U);
    EXPECT_EQ(r->suggestions[0].code, a.code);
    EXPECT_EQ(r->suggestions[0].household_id, a.id);
    EXPECT_NE(r->suggestions[0].edit.find("swapped"), std::string::npos);
    std::string substituted = text;
    substituted[8] = substituted[8] == '2' ? '3' : '2';
    const auto s = registry->resolve(substituted);
    ASSERT_TRUE(s);
    ASSERT_EQ(s->suggestions.size(), 1U);
    EXPECT_EQ(s->suggestions[0].code, a.code);
}

TEST_F(RegistryTest, ReverseAndWithinAgreeWithBruteForce) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> lat(20.22, 20.26);
    std::uniform_real_distribution<double> lng(105.82, 105.87);
    std::vector<Registration> batch;
    for (int i = 0; i < 3000; ++i) {
        batch.push_back(at_point(at(lat(rng), lng(rng))));
    }
    // Dense villages too: there the nearest household's search steps over many index entries
    // between the ranges it reads.
    std::normal_distribution<double> spread(0.0, 0.0004);
    std::vector<std::pair<double, double>> villages;
    for (int v = 0; v < 6; ++v) {
        const double vlat = lat(rng);
        const double vlng = lng(rng);
        villages.emplace_back(vlat, vlng);
        for (int i = 0; i < 500; ++i) {
            const double dlat = spread(rng);
            const double dlng = spread(rng);
            batch.push_back(at_point(at(vlat + dlat, vlng + dlng)));
        }
    }
    std::vector<diachi::Result<diachi::store::Registered>> results;
    registry->register_households(batch, &results);
    std::vector<Household> all;
    for (const auto& r : results) {
        all.push_back(r.value().household);
    }
    ASSERT_TRUE(registry->retire(all[0].id, "tester", ""));
    all.erase(all.begin());

    std::vector<diachi::store::Nearby> nearby;
    for (int q = 0; q < 300; ++q) {
        LatLngE7 p = at(lat(rng), lng(rng));
        if (q % 2 == 1) {
            const auto& village = villages[static_cast<std::size_t>(q) % villages.size()];
            const double dlat = spread(rng);
            const double dlng = spread(rng);
            p = at(village.first + dlat, village.second + dlng);
        }
        const double reach = std::array{2000.0, 30.0, 150.0}[static_cast<std::size_t>(q) % 3];
        const std::size_t k = std::array<std::size_t, 4>{1, 5, 20, 2}[static_cast<std::size_t>(q) % 4];
        registry->reverse(p, k, reach, &nearby);
        std::vector<std::pair<double, std::uint64_t>> expected;
        for (const auto& h : all) {
            const double d = diachi::distance_m(p, h.location);
            if (d <= reach) {
                expected.emplace_back(d, h.id);
            }
        }
        std::sort(expected.begin(), expected.end());
        expected.resize(std::min(k, expected.size()));
        ASSERT_EQ(nearby.size(), expected.size()) << q;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(nearby[i].household.id, expected[i].second);
            EXPECT_DOUBLE_EQ(nearby[i].distance_m, expected[i].first);
        }
    }
    std::vector<diachi::geography::Bounds> boxes;
    std::vector<std::set<std::uint64_t>> expected_in_box;
    for (int q = 0; q < 30; ++q) {
        const double s = lat(rng);
        const double w = lng(rng);
        const diachi::geography::Bounds box{s, w, s + 0.004 * (q % 5 + 1), w + 0.006 * (q % 3 + 1)};
        boxes.push_back(box);
        std::set<std::uint64_t> got;
        registry->within(box, [&](const diachi::store::HouseholdPoint& point) {
            EXPECT_TRUE(got.insert(point.id).second);
            return true;
        });
        std::set<std::uint64_t> expected;
        for (const auto& h : all) {
            if (h.location.lat_deg() >= box.south_deg - 1e-9 &&
                h.location.lat_deg() <= box.north_deg + 1e-9 &&
                h.location.lng_deg() >= box.west_deg - 1e-9 &&
                h.location.lng_deg() <= box.east_deg + 1e-9) {
                expected.insert(h.id);
            }
        }
        EXPECT_EQ(got, expected) << q;
        expected_in_box.push_back(expected);
    }
    // Every box at once, in one pass: each box gets exactly its households.
    std::vector<std::set<std::uint64_t>> got_in_box(boxes.size());
    registry->within(boxes, [&](std::size_t i, const diachi::store::HouseholdPoint& point) {
        EXPECT_TRUE(got_in_box.at(i).insert(point.id).second);
        return true;
    });
    EXPECT_EQ(got_in_box, expected_in_box);
}

TEST_F(RegistryTest, TheDensityIndexCountsEveryActiveHousehold) {
    std::mt19937_64 rng(21);
    std::uniform_real_distribution<double> lat(20.21, 20.29);
    std::uniform_real_distribution<double> lng(105.81, 105.89);
    std::vector<Registration> batch;
    for (int i = 0; i < 2000; ++i) {
        const double a = lat(rng);
        const double b = lng(rng);
        batch.push_back(at_point(at(a, b)));
    }
    std::vector<diachi::Result<diachi::store::Registered>> results;
    registry->register_households(batch, &results);
    std::vector<Household> all;
    for (const auto& r : results) {
        all.push_back(r.value().household);
    }
    for (std::size_t i = 0; i < 100; ++i) {
        ASSERT_TRUE(registry->retire(all[i].id, "tester", ""));
        const double a = lat(rng);
        const double b = lng(rng);
        all[100 + i] = registry->move(all[100 + i].id, at(a, b), "tester").value();
    }
    all.erase(all.begin(), all.begin() + 100);

    for (const std::uint32_t level : Registry::density_levels) {
        struct Sum {
            std::uint64_t count = 0;
            double x = 0.0;
            double y = 0.0;
        };
        std::map<std::pair<std::uint32_t, std::uint32_t>, Sum> expected;
        const double side = std::ldexp(1.0, static_cast<int>(level));
        std::uint32_t x0 = UINT32_MAX, y0 = UINT32_MAX, x1 = 0, y1 = 0;
        for (const auto& h : all) {
            const double wx = diachi::world_x(h.location.lng_deg());
            const double wy = diachi::world_y(h.location.lat_deg());
            const auto cx = static_cast<std::uint32_t>(std::floor(wx * side));
            const auto cy = static_cast<std::uint32_t>(std::floor(wy * side));
            Sum& s = expected[{cy, cx}];
            ++s.count;
            s.x += wx;
            s.y += wy;
            x0 = std::min(x0, cx);
            y0 = std::min(y0, cy);
            x1 = std::max(x1, cx);
            y1 = std::max(y1, cy);
        }
        std::map<std::pair<std::uint32_t, std::uint32_t>, diachi::store::DensityCell> got;
        std::pair<std::uint32_t, std::uint32_t> last{0, 0};
        registry->density(level, x0, y0, x1, y1, [&](const diachi::store::DensityCell& c) {
            EXPECT_TRUE(got.empty() || std::pair(c.y, c.x) > last) << "row by row";
            last = {c.y, c.x};
            got[{c.y, c.x}] = c;
            return true;
        });
        ASSERT_EQ(got.size(), expected.size()) << "level " << level;
        for (const auto& [cell, sum] : expected) {
            const auto it = got.find(cell);
            ASSERT_NE(it, got.end());
            EXPECT_EQ(it->second.count, sum.count);
            EXPECT_NEAR(it->second.mean_x, sum.x / static_cast<double>(sum.count), 1e-9);
            EXPECT_NEAR(it->second.mean_y, sum.y / static_cast<double>(sum.count), 1e-9);
        }
        // A box of one cell reads that cell alone.
        const auto one = expected.begin()->first;
        const std::uint64_t one_count = expected.begin()->second.count;
        std::size_t visits = 0;
        registry->density(level, one.second, one.first, one.second, one.first,
                          [&](const diachi::store::DensityCell& c) {
                              ++visits;
                              EXPECT_EQ(c.count, one_count);
                              return true;
                          });
        EXPECT_EQ(visits, 1U);
    }
    EXPECT_THROW(registry->density(14, 0, 0, 1, 1, [](const auto&) { return true; }),
                 std::invalid_argument);
}

TEST_F(RegistryTest, HistoryRecordsEveryChange) {
    const Household a = add(at(20.27, 105.88));
    diachi::store::Address address{"7", "Ngõ 3", "Xóm Đông"};
    const auto updated = registry->update_address(a.id, address, "clerk");
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->version, 2U);
    EXPECT_EQ(registry->get(a.id)->address, address);
    ASSERT_TRUE(registry->move(a.id, at(20.28, 105.89), "surveyor"));
    ASSERT_TRUE(registry->retire(a.id, "chief", "merged"));
    EXPECT_EQ(registry->retire(a.id, "chief", "again").error().code, ErrorCode::retired);
    EXPECT_EQ(registry->move(a.id, at(20.28, 105.89), "x").error().code, ErrorCode::retired);
    const auto events = registry->history(a.id);
    ASSERT_EQ(events.size(), 4U);
    using diachi::store::HistoryAction;
    EXPECT_EQ(events[0].action, HistoryAction::registered);
    EXPECT_EQ(events[0].actor, "tester");
    EXPECT_EQ(events[1].action, HistoryAction::address_updated);
    EXPECT_NE(events[1].detail.find("Xóm Đông"), std::string::npos);
    EXPECT_EQ(events[2].action, HistoryAction::moved);
    EXPECT_EQ(events[2].actor, "surveyor");
    EXPECT_EQ(events[3].action, HistoryAction::retired);
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].sequence, i);
    }
    EXPECT_TRUE(registry->history(999'999).empty());
    EXPECT_EQ(registry->get(999'999).error().code, ErrorCode::not_found);
}

TEST_F(RegistryTest, PersonalFieldsReachStaffOnly) {
    Registration r = at_point(at(20.29, 105.91));
    r.personal = {"Nguyễn Văn An", "0912345678"};
    const auto registered = registry->register_household(r).value();
    EXPECT_FALSE(registry->get(registered.household.id).value().personal);
    const auto staff = registry->get(registered.household.id, Access::staff).value();
    ASSERT_TRUE(staff.personal);
    EXPECT_EQ(staff.personal->phone, "0912345678");
    const auto resolved =
        registry->resolve(std::string(registered.household.code.canonical().view())).value();
    ASSERT_EQ(resolved.households.size(), 1U);
    EXPECT_FALSE(resolved.households[0].personal);
    std::vector<diachi::store::Nearby> nearby;
    registry->reverse(r.location, 1, 10, &nearby);
    ASSERT_EQ(nearby.size(), 1U);
    EXPECT_FALSE(nearby[0].household.personal);
}

TEST_F(RegistryTest, ExternalIdsMakeRegistrationIdempotent) {
    Registration r = at_point(at(20.3, 105.8 + 0.01));
    r.external_id = "HH-17";
    const auto first = registry->register_household(r).value();
    EXPECT_TRUE(first.created);
    const auto again = registry->register_household(r).value();
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.household.id, first.household.id);
    Registration twin = r;
    twin.external_id = "HH-18";
    std::vector<diachi::Result<diachi::store::Registered>> results;
    registry->register_households(std::vector<Registration>{twin, twin}, &results);
    ASSERT_EQ(results.size(), 2U);
    EXPECT_TRUE(results[0]->created);
    EXPECT_FALSE(results[1]->created);
    EXPECT_EQ(results[0]->household.id, results[1]->household.id);
    EXPECT_EQ(registry->find_external("test", "HH-17")->id, first.household.id);
}

TEST_F(RegistryTest, RejectsPointsOutsideAndFullCells) {
    const auto outside = registry->register_household(at_point(at(10.0, 100.0)));
    ASSERT_FALSE(outside);
    EXPECT_EQ(outside.error().code, ErrorCode::outside_zones);
    std::vector<Registration> many(HouseholdCode::max_unit + 1, at_point(at(20.4, 105.95)));
    std::vector<diachi::Result<diachi::store::Registered>> results;
    registry->register_households(many, &results);
    EXPECT_TRUE(results[HouseholdCode::max_unit - 1]);
    EXPECT_EQ(results[HouseholdCode::max_unit - 1]->household.code.unit(), HouseholdCode::max_unit);
    ASSERT_FALSE(results.back());
    EXPECT_EQ(results.back().error().code, ErrorCode::unit_exhausted);
}

TEST_F(RegistryTest, SurvivesReopeningAndServesReadOnlyCopies) {
    const Household a = add(at(20.25, 105.95));
    registry->checkpoint(dir / "copy");
    const Household b = add(at(20.25, 105.95));
    registry.reset();
    registry = std::make_unique<Registry>(dir / "store");
    EXPECT_EQ(registry->household_count(), 2U);
    EXPECT_EQ(registry->get(b.id)->code, b.code);
    EXPECT_EQ(add(at(20.25, 105.95)).code.unit(), 3);  // units continue after reopening

    diachi::store::RegistryOptions options;
    options.read_only = true;
    const Registry copy(dir / "copy", options);
    EXPECT_EQ(copy.household_count(), 1U);
    const auto r = copy.resolve(std::string(a.code.canonical().view()));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->households.size(), 1U);
    EXPECT_EQ(copy.zones()->size(), 20U);
    Registry writable_copy_read_only(dir / "copy", options);
    EXPECT_THROW((void)writable_copy_read_only.register_household(at_point(at(20.25, 105.95))),
                 std::logic_error);
    EXPECT_THROW(Registry(dir / "nowhere", options), std::runtime_error);
}

TEST_F(RegistryTest, ZoneSetsAreVersioned) {
    auto next = diachi::test::grid_zones(4, 5);
    for (auto& f : next) {
        f.zone.valid_from = "2026-07-01";
        f.zone.postcode += 100;
    }
    const auto summary = registry->import_zones(std::move(next));
    EXPECT_EQ(summary.zones, 20U);
    EXPECT_EQ(summary.closed, 20U);
    const auto versions = registry->zone_versions("Z0-0");
    ASSERT_EQ(versions.size(), 2U);
    EXPECT_EQ(versions[0].valid_from, "2025-07-01");
    EXPECT_EQ(versions[0].valid_to, "2026-07-01");
    EXPECT_EQ(versions[0].postcode, 43001U);
    EXPECT_TRUE(versions[1].valid_to.empty());
    EXPECT_EQ(versions[1].postcode, 43101U);
    EXPECT_EQ(add(at(20.21, 105.81)).code.postcode(), 43101U);
    const auto place = registry->where(at(20.21, 105.81));
    ASSERT_TRUE(place);
    EXPECT_EQ(place->zone.postcode, 43101U);
}
