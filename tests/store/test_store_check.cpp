// Registry::check() (`diachi check`): a store made through the API checks clean; each kind of
// damage, written straight into RocksDB behind the registry's back, is found and named.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include <diachi/store/registry.hpp>

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
    void drop(const std::string& family_name) {
        auto* handle = family(family_name);
        ASSERT_TRUE(m_db->DropColumnFamily(handle).ok());
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
        EXPECT_EQ(clean.spatial_entries, 39U);
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

TEST_F(StoreCheckTest, AMissingSpatialEntryIsFound) {
    const auto report = damaged([](RawStore& raw) { raw.remove("spatial", raw.first_key("spatial")); });
    // The record, the density index at each of its levels and the cell index disagree with the
    // spatial index.
    EXPECT_EQ(report.problem_count, 1U + Registry::density_levels.size() + 1U);
    EXPECT_EQ(report.density_mismatches, Registry::density_levels.size());
    EXPECT_EQ(report.cell_mismatches, 1U);
    EXPECT_TRUE(mentions(report, "not in the spatial index")) << report.problems.front();
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
    EXPECT_TRUE(mentions(report, "counts 0 households, the spatial index "));
}

TEST_F(StoreCheckTest, AWrongCellIsFound) {
    // The cell of the first spatial entry: its Morton key without the low 24 bits (codec:
    // cell_index).
    std::string cell;
    const auto report = damaged([&](RawStore& raw) {
        cell = be64(from_be64(raw.first_key("spatial")) >> 24);
        raw.put("cells", cell, "");
    });
    EXPECT_EQ(report.cell_mismatches, 1U);
    EXPECT_EQ(report.problem_count, 1U);
    EXPECT_TRUE(mentions(report, "cell " + std::to_string(from_be64(cell)) +
                                     ": holds 0 households, not the 1 households of the spatial index"))
        << report.problems.front();
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
    // compaction, they must leave exactly the spatial index's households.
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

// A store of an older format lacks indexes: a read-only open says to open it writable once, and
// a writable open builds them from the spatial index (format 3: density and cells; 4: cells).
class OldFormatTest : public StoreCheckTest, public ::testing::WithParamInterface<int> {};

TEST_P(OldFormatTest, IsUpgradedWhenOpenedWritable) {
    const int format = GetParam();
    std::vector<std::uint64_t> expected;
    {
        diachi::store::RegistryOptions read_only;
        read_only.read_only = true;
        expected = ids_within(Registry(dir / "store", read_only));
    }
    ASSERT_EQ(expected.size(), 39U);  // 40 registered, 1 retired
    {
        RawStore raw(dir / "store");
        raw.drop("cells");
        if (format == 3) {
            raw.drop("density");
        }
        raw.put("default", "format", "diachi-registry-" + std::to_string(format));
    }
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    try {
        Registry registry(dir / "store", read_only);
        ADD_FAILURE() << "a format-" << format << " store opened read-only";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("open it writable once to upgrade it"), std::string::npos) << message;
        EXPECT_NE(message.find("diachi-registry-" + std::to_string(format)), std::string::npos) << message;
    }
    {
        Registry registry(dir / "store");  // upgrades
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

INSTANTIATE_TEST_SUITE_P(StoreCheckTest, OldFormatTest, ::testing::Values(3, 4));

TEST_F(StoreCheckTest, AnUpgradeCutShortIsBuiltAgainWhole) {
    // A format-4 store whose cell index was half built (a crash before the format was written):
    // the next writable open empties the index and builds it again, with nothing twice.
    {
        RawStore raw(dir / "store");
        raw.drop("cells");
        raw.put("default", "format", "diachi-registry-4");
    }
    { Registry registry(dir / "store"); }
    {
        RawStore raw(dir / "store");
        raw.put("default", "format", "diachi-registry-4");
        const std::string cell = be64(from_be64(raw.first_key("spatial")) >> 24);
        raw.put("cells", cell, "junk that does not decode");
    }
    { Registry registry(dir / "store"); }
    diachi::store::RegistryOptions read_only;
    read_only.read_only = true;
    const auto report = Registry(dir / "store", read_only).check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
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
