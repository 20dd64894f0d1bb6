// Registry::check() (`diachi check`): a store made through the API checks clean; each kind of
// damage, written straight into RocksDB behind the registry's back, is found and named.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <rocksdb/db.h>

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

/// The store's RocksDB, opened directly with every column family, to damage it.
class RawStore {
public:
    explicit RawStore(const std::string& path) {
        std::vector<std::string> names;
        EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
        std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
        for (const auto& name : names) {
            descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
        }
        rocksdb::DB* db = nullptr;
        const auto status = rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &m_handles, &db);
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
    EXPECT_EQ(report.problem_count, 1U);
    EXPECT_TRUE(mentions(report, "not in the spatial index")) << report.problems.front();
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
