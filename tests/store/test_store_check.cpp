// Registry::check() (`diachi check`): a store made through the API checks clean; each kind of
// damage, written straight into RocksDB behind the registry's back, is found and named.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include <diachi/store/registry.hpp>

#include "../../geocode/store/src/cell_index.hpp"
#include "../../geocode/store/src/codec_internal.hpp"
#include "../sample_zones.hpp"

using diachi::LatLngE7;
using diachi::store::Registration;
using diachi::store::Registry;

namespace {

std::string be64(std::uint64_t v) {
    std::string out(8, '\0');
    for (int i = 7; i >= 0; --i, v >>= 8) {
        out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xFF);
    }
    return out;
}

std::uint64_t from_be64(std::string_view s) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        v = v << 8 | static_cast<unsigned char>(s[i]);
    }
    return v;
}

/// Keeps merge operands as they are (a merge that has to happen fails).
class NoMerge final : public rocksdb::MergeOperator {
public:
    bool FullMergeV2(const MergeOperationInput&, MergeOperationOutput*) const override {
        return false;
    }
    const char* Name() const override { return "diachi.test.NoMerge"; }
};

/// The store's RocksDB, opened directly with every column family, to damage it.
class RawStore {
public:
    explicit RawStore(const std::string& path) {
        std::vector<std::string> names;
        EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
        // The registry's merge operators are not here. Without one, recovery stops at the
        // first merge in the log and drops what follows: give every family one that never
        // merges, and leave the log unflushed, for the registry to read.
        std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
        for (const auto& name : names) {
            rocksdb::ColumnFamilyOptions family;
            family.merge_operator = std::make_shared<NoMerge>();
            descriptors.emplace_back(name, family);
        }
        rocksdb::DBOptions options;
        options.avoid_flush_during_recovery = true;
        options.avoid_flush_during_shutdown = true;
        rocksdb::DB* db = nullptr;
        const auto status = rocksdb::DB::Open(options, path, descriptors, &m_handles, &db);
        EXPECT_TRUE(status.ok()) << status.ToString();
        m_db.reset(db);
        m_names = names;
    }
    ~RawStore() {
        for (auto* h : m_handles) {
            (void)m_db->DestroyColumnFamilyHandle(h);
        }
    }
    rocksdb::ColumnFamilyHandle* family(const std::string& name) {
        for (std::size_t i = 0; i < m_names.size(); ++i) {
            if (m_names[i] == name) {
                return m_handles[i];
            }
        }
        ADD_FAILURE() << "no column family " << name;
        return nullptr;
    }
    void put(const std::string& family_name, const std::string& key, const std::string& value) {
        ASSERT_TRUE(m_db->Put(rocksdb::WriteOptions(), family(family_name), key, value).ok());
    }
    void remove(const std::string& family_name, const std::string& key) {
        ASSERT_TRUE(m_db->Delete(rocksdb::WriteOptions(), family(family_name), key).ok());
    }
    /// Creates family @p family_name.
    void create(const std::string& family_name) {
        rocksdb::ColumnFamilyHandle* handle = nullptr;
        ASSERT_TRUE(m_db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), family_name, &handle).ok());
        m_handles.push_back(handle);
        m_names.push_back(family_name);
    }
    void drop(const std::string& family_name) {
        auto* handle = family(family_name);
        ASSERT_TRUE(m_db->DropColumnFamily(handle).ok());
    }
    /// The value of @p key in @p family_name, empty when there is none.
    std::string get(const std::string& family_name, const std::string& key) {
        std::string value;
        (void)m_db->Get(rocksdb::ReadOptions(), family(family_name), key, &value);
        return value;
    }
    [[nodiscard]] bool has(const std::string& family_name) const {
        return std::find(m_names.begin(), m_names.end(), family_name) != m_names.end();
    }
    /// The first key of @p family_name.
    std::string first_key(const std::string& family_name) {
        std::unique_ptr<rocksdb::Iterator> it(m_db->NewIterator(rocksdb::ReadOptions(), family(family_name)));
        it->SeekToFirst();
        return it->Valid() ? it->key().ToString() : std::string();
    }

private:
    std::unique_ptr<rocksdb::DB> m_db;
    std::vector<rocksdb::ColumnFamilyHandle*> m_handles;
    std::vector<std::string> m_names;
};

/// Every active household, through the cell index.
std::vector<diachi::store::HouseholdPoint> points_within(const Registry& registry) {
    std::vector<diachi::store::HouseholdPoint> out;
    registry.within(diachi::geography::Bounds{-90, -180, 90, 180}, [&](const diachi::store::HouseholdPoint& p) {
        out.push_back(p);
        return true;
    });
    return out;
}

/// The cell index key of a household's cell (codec: cell_index).
std::uint64_t cell_of(const diachi::store::HouseholdPoint& p) {
    return diachi::store::detail::morton_of(p.location) >> diachi::store::detail::cell_bits;
}

class StoreCheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        Registry registry(dir / "store");
        registry.import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        for (int i = 0; i < 40; ++i) {
            Registration r;
            r.location = LatLngE7::from_degrees(20.21 + i * 0.004, 105.81 + i * 0.005).value();
            r.address.house_number = std::to_string(i + 1);
            r.external_id = "row-" + std::to_string(i);
            r.source = "test";
            if (i % 2 == 0) {
                r.personal.phone = "0912345678";
            }
            ids.push_back(registry.register_household(r).value().household.id);
        }
        ASSERT_TRUE(registry.move(ids[1], LatLngE7::from_degrees(20.33, 105.97).value(), "tester"));
        ASSERT_TRUE(registry.retire(ids[2], "tester", "demolished"));
        const auto clean = registry.check();
        EXPECT_TRUE(clean.ok()) << (clean.problems.empty() ? "" : clean.problems.front());
        EXPECT_EQ(clean.households, 40U);
        EXPECT_EQ(clean.retired, 1U);
        EXPECT_EQ(clean.codes, 41U);  // the moved household's old code is kept
        EXPECT_EQ(clean.cell_entries, 39U);
        EXPECT_EQ(clean.external_ids, 40U);
        EXPECT_EQ(clean.history_events, 42U);
    }

    /// Damages the store with @p damage and returns what check() says.
    template <typename Damage>
    diachi::store::StoreCheck damaged(Damage damage) {
        {
            RawStore raw(dir / "store");
            damage(raw);
        }
        diachi::store::RegistryOptions options;
        options.read_only = true;
        return Registry(dir / "store", options).check();
    }

    /// The households in the cell of the first one registered, that one first. (The raw store
    /// cannot read the cell index: its values are merge operands until compaction.)
    std::vector<diachi::store::HouseholdPoint> first_cell() const {
        diachi::store::RegistryOptions read_only;
        read_only.read_only = true;
        auto points = points_within(Registry(dir / "store", read_only));
        const auto first = std::find_if(points.begin(), points.end(), [&](const auto& p) { return p.id == ids[0]; });
        EXPECT_NE(first, points.end());
        std::iter_swap(points.begin(), first);
        const std::uint64_t cell = cell_of(points.front());
        points.erase(std::remove_if(points.begin() + 1, points.end(), [&](const auto& p) { return cell_of(p) != cell; }),
                     points.end());
        return points;
    }

    static bool mentions(const diachi::store::StoreCheck& report, const std::string& text) {
        for (const auto& p : report.problems) {
            if (p.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }

    diachi::test::TempDir dir;
    std::vector<std::uint64_t> ids;
};

}  // namespace

TEST_F(StoreCheckTest, AMissingCellEntryIsFound) {
    const std::uint64_t cell = cell_of(first_cell().front());
    const auto report = damaged([&](RawStore& raw) { raw.remove("cells", be64(cell)); });
    // The household of that cell, and the density index at each of its levels, disagree with the
    // cell index.
    EXPECT_EQ(report.problem_count, 1U + Registry::density_levels.size());
    EXPECT_EQ(report.density_mismatches, Registry::density_levels.size());
    EXPECT_EQ(report.cell_mismatches, 1U);
    EXPECT_EQ(report.cell_entries, 38U);
    EXPECT_TRUE(mentions(report, "active but not in the cell index at its location")) << report.problems.front();
}

TEST_F(StoreCheckTest, AWrongDensityCountIsFound) {
    // The key of the first cell of the coarsest level: level, row, column (codec: density_index).
    std::string key;
    {
        diachi::store::RegistryOptions read_only;
        read_only.read_only = true;
        const Registry registry(dir / "store", read_only);
        const std::uint32_t level = Registry::density_levels.front();
        registry.density(level, 0, 0, (1U << level) - 1, (1U << level) - 1,
                         [&](const diachi::store::DensityCell& c) {
                             key = std::string(1, static_cast<char>(level)) + be64(c.y).substr(4) +
                                   be64(c.x).substr(4);
                             return false;
                         });
    }
    ASSERT_EQ(key.size(), 9U);
    const auto report = damaged([&](RawStore& raw) { raw.put("density", key, std::string(24, '\0')); });
    EXPECT_EQ(report.density_mismatches, 1U);
    EXPECT_TRUE(mentions(report, "density cell " + std::to_string(Registry::density_levels.front()) + "/"))
        << report.problems.front();
    EXPECT_TRUE(mentions(report, "counts 0 households, the cell index "));
}

TEST_F(StoreCheckTest, ACellEntryWithAnotherCodeIsFound) {
    // The first household's cell, its entry naming the code after its own.
    auto points = first_cell();
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
        return std::pair(diachi::store::detail::morton_of(a.location), a.id) <
               std::pair(diachi::store::detail::morton_of(b.location), b.id);
    });
    const std::uint64_t cell = cell_of(points.front());
    const std::uint64_t id = ids[0];
    std::uint64_t wrong_code = 0;
    std::string value;
    for (const auto& p : points) {
        const std::uint64_t code = p.code.key() + (p.id == id ? 1 : 0);
        wrong_code = p.id == id ? code : wrong_code;
        diachi::store::detail::append_cell_entry({diachi::store::detail::morton_of(p.location), p.id, code}, &value);
    }
    const auto report = damaged([&](RawStore& raw) { raw.put("cells", be64(cell), value); });
    // Found from both sides: the household's entry, and the entry's household.
    EXPECT_EQ(report.cell_mismatches, 2U);
    EXPECT_EQ(report.problem_count, 2U);
    const std::string code = diachi::HouseholdCode::from_key(wrong_code).canonical().str();
    EXPECT_TRUE(mentions(report, "household " + std::to_string(id) + ": its cell index entry names code " + code))
        << report.problems.front();
    EXPECT_TRUE(mentions(report, "cell " + std::to_string(cell) + ": an entry for household " + std::to_string(id) +
                                     " with code " + code + ", which is not that household's code"))
        << report.problems.front();
}

TEST_F(StoreCheckTest, ACellThatDoesNotDecodeIsFound) {
    const std::uint64_t cell = cell_of(first_cell().front());
    const auto report = damaged([&](RawStore& raw) { raw.put("cells", be64(cell), "junk that does not decode"); });
    EXPECT_TRUE(mentions(report, "cell " + std::to_string(cell) + ": does not decode")) << report.problems.front();
    EXPECT_TRUE(mentions(report, "active but not in the cell index at its location")) << report.problems.front();
}

namespace {

/// Households in the whole world, by id, read through the cell index.
std::vector<std::uint64_t> ids_within(const Registry& registry) {
    std::vector<std::uint64_t> out;
    registry.within(diachi::geography::Bounds{-90, -180, 90, 180}, [&](const diachi::store::HouseholdPoint& p) {
        out.push_back(p.id);
        return true;
    });
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_F(StoreCheckTest, TheCellIndexMergesRightThroughCompaction) {
    // Moves and retirements leave remove operands on cells compacted before: merged in
    // compaction, they must leave exactly the active households.
    Registry registry(dir / "store");
    registry.compact();
    ASSERT_TRUE(registry.move(ids[5], LatLngE7::from_degrees(20.2101, 105.8101).value(), "tester"));
    ASSERT_TRUE(registry.move(ids[6], LatLngE7::from_degrees(20.2102, 105.8102).value(), "tester"));
    ASSERT_TRUE(registry.retire(ids[7], "tester", "demolished"));
    registry.compact();
    const auto report = registry.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    const auto within = ids_within(registry);
    EXPECT_EQ(within.size(), 38U);
    EXPECT_FALSE(std::binary_search(within.begin(), within.end(), ids[7]));
    EXPECT_TRUE(std::binary_search(within.begin(), within.end(), ids[5]));
}

namespace {

/// Gives the store the spatial family of formats 3 to 5: every household by the Morton key of
/// its location and its id, to its code's key.
void add_legacy_spatial(RawStore& raw, const std::vector<diachi::store::HouseholdPoint>& points) {
    raw.create("spatial");
    for (const auto& p : points) {
        raw.put("spatial", be64(diachi::store::detail::morton_of(p.location)) + be64(p.id), be64(p.code.key()));
    }
}

}  // namespace

// A store of an older format: formats 3 and 4 lack indexes, so a read-only open says to open
// them writable once, and a writable open builds them from the legacy spatial family (format 3:
// density and cells; 4: cells). Format 5 has both and opens read-only as it is. A writable open
// of any then drops the spatial family.
class OldFormatTest : public StoreCheckTest, public ::testing::WithParamInterface<int> {
protected:
    /// Turns the store into one of format @p format.
    void make_old(int format) {
        diachi::store::RegistryOptions read_only;
        read_only.read_only = true;
        const auto points = points_within(Registry(dir / "store", read_only));
        RawStore raw(dir / "store");
        add_legacy_spatial(raw, points);
        if (format < 5) {
            raw.drop("cells");
        }
        if (format == 3) {
            raw.drop("density");
        }
        raw.put("default", "format", "diachi-registry-" + std::to_string(format));
    }
};

TEST_P(OldFormatTest, IsUpgradedWhenOpenedWritable) {
    const int format = GetParam();
    std::vector<std::uint64_t> expected;
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    expected = ids_within(Registry(dir / "store", read_only));
    ASSERT_EQ(expected.size(), 39U);  // 40 registered, 1 retired
    make_old(format);
    try {
        Registry registry(dir / "store", read_only);
        if (format < 5) {
            ADD_FAILURE() << "a format-" << format << " store opened read-only";
        } else {
            EXPECT_EQ(ids_within(registry), expected);
            EXPECT_TRUE(registry.check().ok());
        }
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_LT(format, 5) << message;
        EXPECT_NE(message.find("open it writable once to upgrade it"), std::string::npos) << message;
        EXPECT_NE(message.find("diachi-registry-" + std::to_string(format)), std::string::npos) << message;
    }
    {
        Registry registry(dir / "store");  // upgrades
    }
    {
        RawStore raw(dir / "store");
        EXPECT_FALSE(raw.has("spatial"));
        EXPECT_EQ(raw.get("default", "format"), "diachi-registry-7");
    }
    Registry registry(dir / "store", read_only);
    const auto report = registry.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(ids_within(registry), expected);
    for (const std::uint32_t level : Registry::density_levels) {
        std::uint64_t total = 0;
        registry.density(level, 0, 0, (1U << level) - 1, (1U << level) - 1,
                         [&](const diachi::store::DensityCell& c) {
                             total += c.count;
                             return true;
                         });
        EXPECT_EQ(total, 39U) << "level " << level;
    }
}

INSTANTIATE_TEST_SUITE_P(StoreCheckTest, OldFormatTest, ::testing::Values(3, 4, 5));

TEST_F(OldFormatTest, ABuildCutShortIsBuiltAgainWhole) {
    // A format-4 store whose cell index was half built (a crash before the format was written):
    // the next writable open empties the index and builds it again, with nothing twice.
    make_old(4);
    {
        RawStore raw(dir / "store");
        raw.create("cells");
        const std::string cell = be64(from_be64(raw.first_key("spatial")) >> 24);
        raw.put("cells", cell, "junk that does not decode");
    }
    { Registry registry(dir / "store"); }
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    const auto report = Registry(dir / "store", read_only).check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(report.cell_entries, 39U);
}

TEST_F(OldFormatTest, AnUpgradeCutShortAfterTheDropEnds) {
    // Format 5 whose spatial family is gone already (a crash before format 6 was written).
    make_old(5);
    {
        RawStore raw(dir / "store");
        raw.drop("spatial");
    }
    { Registry registry(dir / "store"); }
    {
        RawStore raw(dir / "store");
        EXPECT_EQ(raw.get("default", "format"), "diachi-registry-7");
    }
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    const auto report = Registry(dir / "store", read_only).check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
}

TEST_F(OldFormatTest, AFormat6StoreIsServedAsItIsAndUpgradedInPlace) {
    // Format 6 has no code_alone_bit: each cell's unit 1 is followed by a look for unit 2.
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    std::vector<diachi::store::Household> households;
    {
        Registry registry(dir / "store", read_only);
        for (const std::uint64_t id : ids) {
            households.push_back(registry.get(id).value());
        }
    }
    {
        RawStore raw(dir / "store");
        for (const auto& h : households) {
            std::string entry = raw.get("codes", be64(h.code.key()));
            entry[8] = static_cast<char>(diachi::store::detail::code_state(entry));
            raw.put("codes", be64(h.code.key()), entry);
        }
        raw.put("default", "format", "diachi-registry-6");
    }
    const auto whole_cell = [](const Registry& registry, const diachi::store::Household& h) {
        const auto resolved = registry.resolve(h.code.with_unit(1).canonical().view());
        std::vector<std::uint64_t> found;
        for (const auto& other : resolved.value().households) {
            found.push_back(other.id);
        }
        return found;
    };
    {
        Registry registry(dir / "store", read_only);
        const auto report = registry.check();
        EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
        EXPECT_EQ(whole_cell(registry, households[5]), std::vector<std::uint64_t>{ids[5]});
    }
    {
        Registry registry(dir / "store");
        Registration beside;
        beside.location = households[5].location;
        beside.source = "test";
        const auto added = registry.register_household(beside).value().household;
        EXPECT_EQ(added.code, households[5].code.with_unit(2));
        EXPECT_EQ(whole_cell(registry, households[5]), (std::vector<std::uint64_t>{ids[5], added.id}));
        const auto report = registry.check();
        EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    }
    EXPECT_EQ(RawStore(dir / "store").get("default", "format"), "diachi-registry-7");
}

TEST_F(StoreCheckTest, AGapInHistoryIsFound) {
    const std::uint64_t moved = ids[1];
    const auto report = damaged([&](RawStore& raw) { raw.remove("history", be64(moved) + std::string("\0\0\0\0", 4)); });
    EXPECT_TRUE(mentions(report, "household " + std::to_string(moved) + ": history event 0")) << report.problems.front();
}

TEST_F(StoreCheckTest, ACodeNamingNoHouseholdIsFound) {
    const auto report = damaged([](RawStore& raw) {
        const std::string code = raw.first_key("codes");
        raw.put("codes", be64(from_be64(code) + 77), be64(999999) + std::string(1, '\0') + "junk");
    });
    EXPECT_TRUE(mentions(report, "names household 999999, which does not exist")) << report.problems.front();
}

TEST_F(StoreCheckTest, AUnitBesideOneMarkedAloneIsFound) {
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    const std::uint64_t key = Registry(dir / "store", read_only).get(ids[5]).value().code.key();
    ASSERT_EQ(key & 0x3FFF, 1U);
    const auto report = damaged([&](RawStore& raw) {
        const std::string entry = raw.get("codes", be64(key));
        ASSERT_TRUE(diachi::store::detail::code_alone(entry));  // registered in a new cell
        raw.put("codes", be64(key + 1), entry);                // a unit 2 beside it
    });
    EXPECT_TRUE(mentions(report, ": unit 1 of its cell is marked alone")) << report.problems.front();
}

TEST_F(StoreCheckTest, TwoHouseholdsOnOneCodeAreFound) {
    const auto report = damaged([&](RawStore& raw) {
        raw.put("households", be64(ids[3]), raw.first_key("codes"));  // ids[3] now claims another's code
    });
    EXPECT_TRUE(mentions(report, "household " + std::to_string(ids[3]) + ": the entry of its code")) << report.problems.front();
    EXPECT_GE(report.problem_count, 2U);  // its own code entry is now orphaned too
}

TEST_F(StoreCheckTest, ExternalIdsAndHistoryOfMissingHouseholdsAreFound) {
    const auto report = damaged([](RawStore& raw) {
        raw.put("external", std::string("test\0ghost", 10), be64(424242));
        raw.put("history", be64(424242) + std::string("\0\0\0\0", 4), "x");
    });
    EXPECT_TRUE(mentions(report, "external id test/ghost: names no household"));
    EXPECT_TRUE(mentions(report, "history: events of household 424242"));
}
