// Large registration batches go into the store as ingested table files (batch_ingest.hpp), not
// through the log and the memtables. The store must end up holding what a write would have left:
// the same keys in every column family, the same values wherever no clock is involved, the same
// answers from the registry, and a clean check(). ingest_batch() itself is compared with
// DB::Write on batches that write one key several times (puts, deletes, merge operands), and
// must refuse what a table file cannot hold.

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>

#include <diachi/store/registry.hpp>

#include "../../geocode/store/src/batch_ingest.hpp"
#include "../sample_zones.hpp"

using diachi::LatLngE7;
using diachi::store::Registration;
using diachi::store::Registry;
using diachi::store::RegistryOptions;

namespace {

/// Concatenates operands with '+' (associative, so it combines operands alone too).
class Join final : public rocksdb::AssociativeMergeOperator {
public:
    bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
               std::string* out, rocksdb::Logger*) const override {
        *out = existing != nullptr ? existing->ToString() + "+" + value.ToString()
                                   : value.ToString();
        return true;
    }
    const char* Name() const override { return "diachi.test.Join"; }
};

/// Combines only with a base value (the default partial merge refuses).
class FullOnly final : public rocksdb::MergeOperator {
public:
    bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
        out->new_value = in.existing_value != nullptr ? in.existing_value->ToString() : "";
        for (const auto& operand : in.operand_list) {
            out->new_value += "|" + operand.ToString();
        }
        return true;
    }
    const char* Name() const override { return "diachi.test.FullOnly"; }
};

/// A database with a plain family, a joining one and a full-merge-only one; @p filtered: each
/// with a Bloom filter and LZ4, as the registry's families are.
class TestDb {
public:
    explicit TestDb(const std::string& path, bool filtered = false) {
        rocksdb::ColumnFamilyOptions plain;
        if (filtered) {
            rocksdb::BlockBasedTableOptions table;
            table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
            plain.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
            plain.compression = rocksdb::kLZ4Compression;
        }
        rocksdb::ColumnFamilyOptions join = plain;
        join.merge_operator = std::make_shared<Join>();
        rocksdb::ColumnFamilyOptions full_only = plain;
        full_only.merge_operator = std::make_shared<FullOnly>();
        const std::vector<rocksdb::ColumnFamilyDescriptor> descriptors{
            {rocksdb::kDefaultColumnFamilyName, plain}, {"join", join}, {"full", full_only}};
        rocksdb::DBOptions options;
        options.create_if_missing = true;
        options.create_missing_column_families = true;
        rocksdb::DB* opened = nullptr;
        const auto status = rocksdb::DB::Open(options, path, descriptors, &handles, &opened);
        EXPECT_TRUE(status.ok()) << status.ToString();
        db.reset(opened);
        scratch = path + "/ingest";
    }
    ~TestDb() {
        for (auto* h : handles) {
            (void)db->DestroyColumnFamilyHandle(h);
        }
    }
    /// Every family's contents, as family -> key -> value.
    std::map<std::string, std::map<std::string, std::string>> contents() const {
        std::map<std::string, std::map<std::string, std::string>> out;
        for (auto* h : handles) {
            std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), h));
            auto& family = out[h->GetName()];
            for (it->SeekToFirst(); it->Valid(); it->Next()) {
                family[it->key().ToString()] = it->value().ToString();
            }
            EXPECT_TRUE(it->status().ok());
        }
        return out;
    }

    std::unique_ptr<rocksdb::DB> db;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    std::string scratch;
};

/// Writes @p fill to both databases, then @p batch_of(db) written to @p a and ingested into
/// @p b; returns what the ingestion did.
template <typename Fill, typename Batch>
diachi::store::detail::IngestResult write_and_ingest(
    TestDb& a, TestDb& b, Fill fill, Batch batch_of,
    diachi::store::detail::Level0Files level0 = diachi::store::detail::Level0Files::lasting) {
    for (TestDb* t : {&a, &b}) {
        rocksdb::WriteBatch existing;
        fill(*t, &existing);
        EXPECT_TRUE(t->db->Write(rocksdb::WriteOptions(), &existing).ok());
    }
    rocksdb::WriteBatch written;
    batch_of(a, &written);
    EXPECT_TRUE(a.db->Write(rocksdb::WriteOptions(), &written).ok());
    rocksdb::WriteBatch ingested;
    batch_of(b, &ingested);
    return diachi::store::detail::ingest_batch(b.db.get(), ingested, b.handles, b.scratch,
                                               level0);
}

/// The properties of the table files of @p family written by ingest_batch() (SstFileWriter's).
std::vector<std::shared_ptr<const rocksdb::TableProperties>> ingested_tables(
    TestDb& t, rocksdb::ColumnFamilyHandle* family) {
    rocksdb::TablePropertiesCollection all;
    EXPECT_TRUE(t.db->GetPropertiesOfAllTables(family, &all).ok());
    std::vector<std::shared_ptr<const rocksdb::TableProperties>> out;
    for (const auto& [file, properties] : all) {
        if (properties->user_collected_properties.contains("rocksdb.external_sst_file.version")) {
            out.push_back(properties);
        }
    }
    return out;
}

class IngestTest : public ::testing::Test {
protected:
    diachi::test::TempDir dir;
};

}  // namespace

TEST_F(IngestTest, WritesToOneKeyCombineAsAWriteWouldCombineThem) {
    TestDb written(dir / "written");
    TestDb ingested(dir / "ingested");
    const auto fill = [](TestDb& t, rocksdb::WriteBatch* batch) {
        auto* join = t.handles[1];
        ASSERT_TRUE(batch->Put(join, "b", "old-b").ok());
        ASSERT_TRUE(batch->Put(join, "c", "old-c").ok());
        ASSERT_TRUE(batch->Put(join, "e", "old-e").ok());
        ASSERT_TRUE(batch->Put(t.handles[0], "kept", "1").ok());
        ASSERT_TRUE(batch->Put(t.handles[0], "gone", "1").ok());
    };
    const auto batch_of = [](TestDb& t, rocksdb::WriteBatch* batch) {
        auto* plain = t.handles[0];
        auto* join = t.handles[1];
        ASSERT_TRUE(batch->Merge(join, "c", "p").ok());
        ASSERT_TRUE(batch->Put(join, "a", "base").ok());
        ASSERT_TRUE(batch->Merge(join, "a", "x").ok());
        ASSERT_TRUE(batch->Merge(join, "b", "only").ok());  // one operand on an old value
        ASSERT_TRUE(batch->Merge(join, "a", "y").ok());
        ASSERT_TRUE(batch->Merge(join, "c", "q").ok());  // operands alone: a partial merge
        ASSERT_TRUE(batch->Delete(join, "d").ok());
        ASSERT_TRUE(batch->Merge(join, "d", "z").ok());  // on a deletion: a value of its own
        ASSERT_TRUE(batch->Put(join, "e", "new-e").ok());
        ASSERT_TRUE(batch->Delete(join, "e").ok());  // put then deleted
        ASSERT_TRUE(batch->Put(plain, "gone", "2").ok());
        ASSERT_TRUE(batch->Delete(plain, "gone").ok());
        ASSERT_TRUE(batch->Put(plain, "new", "1").ok());
        ASSERT_TRUE(batch->Put(plain, "new", "2").ok());  // the last put wins
        // Keys longer and shorter than eight bytes, sharing their first eight.
        ASSERT_TRUE(batch->Put(plain, std::string("abcdefgh\x01", 9), "9").ok());
        ASSERT_TRUE(batch->Put(plain, "abcdefgh", "8").ok());
        ASSERT_TRUE(batch->Put(plain, std::string("abcdefg\0", 8), "z").ok());
        ASSERT_TRUE(batch->Put(plain, "abcdefg", "7").ok());
    };
    const auto result = write_and_ingest(written, ingested, fill, batch_of);
    ASSERT_TRUE(result.ingested);
    EXPECT_EQ(result.files, 2U);
    EXPECT_EQ(result.entries, 5U + 6U);  // one per key
    EXPECT_EQ(ingested.contents(), written.contents());
    EXPECT_EQ(written.contents().at("join").at("a"), "base+x+y");
    EXPECT_EQ(written.contents().at("join").at("c"), "old-c+p+q");
    // Nothing is left behind in the scratch directory.
    EXPECT_TRUE(std::filesystem::is_empty(ingested.scratch));
}

TEST_F(IngestTest, FilesAMergeRewritesSoonAreWrittenPlainlyAndHoldTheSame) {
    // Keys between the stored ones: the files go to level 0, where a deferred bulk load's
    // merge takes them (Level0Files::merged_soon), or compaction (lasting).
    const auto fill = [](TestDb& t, rocksdb::WriteBatch* batch) {
        for (const char* key : {"a", "m", "z"}) {
            ASSERT_TRUE(batch->Put(t.handles[0], key, "stored").ok());
            ASSERT_TRUE(batch->Put(t.handles[1], key, "stored").ok());
        }
    };
    const auto batch_of = [](TestDb& t, rocksdb::WriteBatch* batch) {
        for (int i = 0; i < 2000; ++i) {
            const std::string key = "k" + std::to_string(i * 7919 % 2000);
            ASSERT_TRUE(batch->Put(t.handles[0], key, std::string(40, 'v')).ok());
            ASSERT_TRUE(batch->Merge(t.handles[1], key, "1").ok());
            ASSERT_TRUE(batch->Merge(t.handles[1], key, "2").ok());
        }
        ASSERT_TRUE(batch->Merge(t.handles[1], "m", "3").ok());
    };
    using diachi::store::detail::Level0Files;
    std::uint64_t lasting_blocks[2] = {0, 0};
    for (const Level0Files level0 : {Level0Files::lasting, Level0Files::merged_soon}) {
        const bool plain = level0 == Level0Files::merged_soon;
        SCOPED_TRACE(plain ? "merged soon" : "lasting");
        const auto sub = dir / (plain ? "plain" : "lasting");
        std::filesystem::create_directories(sub);
        TestDb written(sub + "/written", /*filtered=*/true);
        TestDb ingested(sub + "/ingested", /*filtered=*/true);
        const auto result = write_and_ingest(written, ingested, fill, batch_of, level0);
        ASSERT_TRUE(result.ingested);
        EXPECT_EQ(ingested.contents(), written.contents());
        EXPECT_EQ(written.contents().at("join").at("k7"), "1+2");
        EXPECT_EQ(written.contents().at("join").at("m"), "stored+3");
        // Reads find the entries through the files as written (no filter to answer misses).
        std::string value;
        ASSERT_TRUE(ingested.db->Get({}, ingested.handles[0], "k1999", &value).ok());
        EXPECT_TRUE(ingested.db->Get({}, ingested.handles[0], "k2000", &value).IsNotFound());
        for (std::size_t f = 0; f < 2; ++f) {
            auto* family = ingested.handles[f];
            const auto tables = ingested_tables(ingested, family);
            ASSERT_EQ(tables.size(), 1U) << family->GetName();
            EXPECT_EQ(tables[0]->filter_size == 0, plain) << family->GetName();
            EXPECT_EQ(tables[0]->compression_name, "LZ4") << family->GetName();
            if (plain) {  // blocks of 32 KiB, not the family's 4 KiB
                EXPECT_LT(tables[0]->num_data_blocks * 4, lasting_blocks[f]) << family->GetName();
            } else {
                lasting_blocks[f] = tables[0]->num_data_blocks;
            }
        }
    }
}

TEST_F(IngestTest, WhatAFileCannotHoldIsRefusedAndNothingIsWritten) {
    TestDb db(dir / "db");
    const auto before = db.contents();
    const auto ingest = [&](const rocksdb::WriteBatch& batch) {
        return diachi::store::detail::ingest_batch(db.db.get(), batch, db.handles, db.scratch)
            .ingested;
    };
    rocksdb::WriteBatch ranged;
    ASSERT_TRUE(ranged.Put(db.handles[0], "a", "1").ok());
    ASSERT_TRUE(ranged.DeleteRange(db.handles[0], "b", "c").ok());
    EXPECT_FALSE(ingest(ranged));
    // Two operands and no base: FullOnly cannot combine them on its own.
    rocksdb::WriteBatch operands;
    ASSERT_TRUE(operands.Put(db.handles[0], "a", "1").ok());
    ASSERT_TRUE(operands.Merge(db.handles[2], "k", "1").ok());
    ASSERT_TRUE(operands.Merge(db.handles[2], "k", "2").ok());
    EXPECT_FALSE(ingest(operands));
    EXPECT_EQ(db.contents(), before);
    EXPECT_TRUE(!std::filesystem::exists(db.scratch) || std::filesystem::is_empty(db.scratch));
    // With a base value it can: the batch goes in.
    rocksdb::WriteBatch based;
    ASSERT_TRUE(based.Put(db.handles[2], "k", "base").ok());
    ASSERT_TRUE(based.Merge(db.handles[2], "k", "1").ok());
    ASSERT_TRUE(based.Merge(db.handles[2], "k", "2").ok());
    EXPECT_TRUE(ingest(based));
    EXPECT_EQ(db.contents().at("full").at("k"), "base|1|2");
}

TEST_F(IngestTest, SeveralBatchesGoInAsTheyWouldOneAfterTheOther) {
    // Writes to one key span the batches: a put in the first, merge operands in both, a put in
    // the second over a merge in the first.
    const auto first_of = [](TestDb& t, rocksdb::WriteBatch* batch) {
        ASSERT_TRUE(batch->Put(t.handles[1], "a", "base").ok());
        ASSERT_TRUE(batch->Merge(t.handles[1], "a", "x").ok());
        ASSERT_TRUE(batch->Merge(t.handles[1], "b", "p").ok());
        ASSERT_TRUE(batch->Put(t.handles[0], "k", "1").ok());
    };
    const auto second_of = [](TestDb& t, rocksdb::WriteBatch* batch) {
        ASSERT_TRUE(batch->Merge(t.handles[1], "a", "y").ok());
        ASSERT_TRUE(batch->Put(t.handles[1], "b", "reset").ok());
        ASSERT_TRUE(batch->Delete(t.handles[0], "k").ok());
        ASSERT_TRUE(batch->Put(t.handles[0], "m", "2").ok());
    };
    TestDb written(dir / "written");
    TestDb ingested(dir / "ingested");
    TestDb appended(dir / "appended");
    for (const auto& batch_of : {+first_of, +second_of}) {
        rocksdb::WriteBatch batch;
        batch_of(written, &batch);
        ASSERT_TRUE(written.db->Write(rocksdb::WriteOptions(), &batch).ok());
    }
    rocksdb::WriteBatch first;
    rocksdb::WriteBatch second;
    first_of(ingested, &first);
    second_of(ingested, &second);
    const rocksdb::WriteBatch* parts[] = {&first, &second};
    const auto result = diachi::store::detail::ingest_batch(ingested.db.get(), parts,
                                                            ingested.handles, ingested.scratch);
    ASSERT_TRUE(result.ingested);
    EXPECT_EQ(result.entries, 4U);  // a, b; k, m
    EXPECT_EQ(ingested.contents(), written.contents());
    EXPECT_EQ(written.contents().at("join").at("a"), "base+x+y");
    EXPECT_EQ(written.contents().at("join").at("b"), "reset");
    EXPECT_EQ(written.contents().at("default").count("k"), 0U);

    // append_batch() makes one batch of the two, with the same effect.
    rocksdb::WriteBatch one;
    rocksdb::WriteBatch other;
    first_of(appended, &one);
    second_of(appended, &other);
    diachi::store::detail::append_batch(other, appended.handles, &one);
    EXPECT_EQ(one.Count(), 8U);
    ASSERT_TRUE(appended.db->Write(rocksdb::WriteOptions(), &one).ok());
    EXPECT_EQ(appended.contents(), written.contents());
    // What it cannot carry is refused, not dropped.
    rocksdb::WriteBatch ranged;
    ASSERT_TRUE(ranged.DeleteRange(appended.handles[0], "a", "b").ok());
    EXPECT_THROW(diachi::store::detail::append_batch(ranged, appended.handles, &one),
                 std::runtime_error);
    // So is a family it is not given.
    const std::span<rocksdb::ColumnFamilyHandle* const> default_only(appended.handles.data(), 1);
    EXPECT_THROW(diachi::store::detail::append_batch(other, default_only, &one),
                 std::runtime_error);
}

namespace {

/// Opens the store at @p path read-only with every column family and calls @p use(db, handles).
template <typename Use>
void open_raw(const std::string& path, Use use) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& name : names) {
        descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    const auto status =
        rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors, &handles, &raw);
    ASSERT_TRUE(status.ok()) << status.ToString();
    std::unique_ptr<rocksdb::DB> db(raw);
    use(db.get(), handles);
    for (auto* h : handles) {
        (void)db->DestroyColumnFamilyHandle(h);
    }
}

/// Entries of the codes family that live in the write-ahead log (replayed into a memtable),
/// not in table files.
std::uint64_t logged_codes(const std::string& path) {
    std::uint64_t entries = 0;
    open_raw(path, [&](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
        for (auto* h : handles) {
            if (h->GetName() == "codes") {
                EXPECT_TRUE(db->GetIntProperty(h, "rocksdb.num-entries-active-mem-table", &entries));
            }
        }
    });
    return entries;
}

/// The registry's column families, read raw: keys everywhere; values where no clock is written
/// (records and history carry times).
std::map<std::string, std::map<std::string, std::string>> raw_contents(const std::string& path) {
    // Both stores were compacted and closed: every merge is folded, nothing needs an operator.
    std::map<std::string, std::map<std::string, std::string>> out;
    open_raw(path, [&](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
        for (auto* h : handles) {
            const bool timed = h->GetName() == "codes" || h->GetName() == "history" ||
                               h->GetName() == "zones" || h->GetName() == "default";
            std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), h));
            auto& family = out[h->GetName()];
            for (it->SeekToFirst(); it->Valid(); it->Next()) {
                family[it->key().ToString()] = timed ? std::string() : it->value().ToString();
            }
            EXPECT_TRUE(it->status().ok());
        }
    });
    return out;
}

}  // namespace

namespace {

/// Four batches of 600 households in seven villages, so cells fill up with units 1, 2, 3 ...
/// across batches; external ids, some sent again in a later batch; personal fields on some.
/// Batch 2 sends batch 1's first hundred again; batch 3 repeats its own first hundred rows at
/// its end: 2,200 households in all.
std::vector<std::vector<Registration>> village_batches() {
    std::mt19937_64 rng(11);
    std::normal_distribution<double> spread(0.0, 0.00002);  // a few metres: shared cells
    std::vector<std::vector<Registration>> batches(4);
    for (std::size_t b = 0; b < batches.size(); ++b) {
        for (int i = 0; i < 600; ++i) {
            Registration r;
            const int village = i % 7;
            r.location = LatLngE7::from_degrees(20.22 + village * 0.02 + spread(rng),
                                                105.82 + village * 0.03 + spread(rng))
                             .value();
            r.address.house_number = std::to_string(i + 1);
            r.address.hamlet = "Thôn Liên Trì " + std::to_string(village + 1);
            r.source = "test";
            // Batch 2 sends batch 1's first hundred again; batch 3 repeats its own first
            // hundred rows at its end.
            if (b == 2 && i < 100) {
                r.external_id = "row-1-" + std::to_string(i);
            } else if (b == 3 && i >= 500) {
                r.external_id = "row-3-" + std::to_string(i - 500);
            } else {
                r.external_id = "row-" + std::to_string(b) + "-" + std::to_string(i);
            }
            if (i % 3 == 0) {
                r.personal.phone = "09123456" + std::to_string(10 + i % 90);
            }
            batches[b].push_back(std::move(r));
        }
    }
    return batches;
}

/// The number of level-0 table files of each column family of the store at @p path.
std::map<std::string, std::uint64_t> level0_files(const std::string& path) {
    std::map<std::string, std::uint64_t> out;
    open_raw(path, [&](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
        for (auto* h : handles) {
            std::string files;
            EXPECT_TRUE(db->GetProperty(h, "rocksdb.num-files-at-level0", &files));
            out[h->GetName()] = std::stoull(files);
        }
    });
    return out;
}

}  // namespace

TEST_F(IngestTest, AnIngestedRegistrationLeavesTheStoreAWriteWouldLeave) {
    const auto batches = village_batches();
    for (const auto& [name, ingest_from] : {std::pair{"written", std::size_t{0}},
                                            std::pair{"ingested", std::size_t{1}}}) {
        RegistryOptions options;
        options.ingest_min_batch = ingest_from;
        Registry registry(dir / name, options);
        registry.import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        std::vector<diachi::Result<diachi::store::Registered>> out;
        for (const auto& batch : batches) {
            registry.register_households(batch, &out);
            ASSERT_EQ(out.size(), batch.size());
            for (const auto& result : out) {
                ASSERT_TRUE(result) << result.error().message();
            }
            // A row repeated within its batch gets the household of its first appearance.
            for (std::size_t i = 500; &batch == &batches[3] && i < 600; ++i) {
                EXPECT_FALSE(out[i]->created);
                EXPECT_EQ(out[i]->household.id, out[i - 500]->household.id);
                EXPECT_TRUE(out[i - 500]->created);
            }
        }
        EXPECT_EQ(registry.household_count(), 2200U);
        const auto check = registry.check();
        EXPECT_TRUE(check.ok()) << name << ": "
                                << (check.problems.empty() ? "" : check.problems.front());
        EXPECT_EQ(check.external_ids, 2200U);
    }
    // The written store's codes are in its log; the ingested store's are not.
    EXPECT_GT(logged_codes(dir / "written"), 0U);
    EXPECT_EQ(logged_codes(dir / "ingested"), 0U);
    for (const char* name : {"written", "ingested"}) {
        Registry(dir / name).compact();
    }
    const auto written = raw_contents(dir / "written");
    const auto ingested = raw_contents(dir / "ingested");
    ASSERT_EQ(written.size(), ingested.size());
    for (const auto& [family, entries] : written) {
        EXPECT_EQ(ingested.at(family), entries) << "column family " << family;
    }
    // Some cells hold several households: units went on across batches.
    std::size_t later_units = 0;
    for (const auto& [key, value] : written.at("codes")) {
        later_units += (static_cast<unsigned char>(key[7]) & 0x3F) > 1 ? 1 : 0;
    }
    EXPECT_GT(later_units, 100U);
    EXPECT_FALSE(std::filesystem::exists(dir / "ingested/ingest") &&
                 !std::filesystem::is_empty(dir / "ingested/ingest"));
}

TEST_F(IngestTest, ABulkLoadLeavesTheStoreAPlainOneWouldLeave) {
    // The same registrations, with a single registration and moves between the batches, into
    // an empty store three ways: without a load ("plain"); through a bulk load (compaction
    // deferred, cells and external ids known from memory) written batch by batch ("loaded");
    // and through BulkLoad::add(), each batch written while the next is decided ("pipelined").
    // Batch 2 sends batch 1's ids again: the load must find them in the store, once the batch
    // being written is there; later batches add units to cells whose unit 1 an earlier batch gave
    // (its entry loses its mark of being alone); the single registration and the moves issue
    // units that later batches must go on from.
    const auto batches = village_batches();
    for (const std::string name : {"plain", "loaded", "pipelined"}) {
        SCOPED_TRACE(name);
        RegistryOptions options;
        options.ingest_min_batch = 100;
        Registry registry(dir / name, options);
        registry.import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        std::optional<diachi::store::BulkLoad> load;
        if (name != "plain") {
            load.emplace(registry.begin_bulk_load());
            EXPECT_TRUE(load->deferred());
            EXPECT_THROW((void)registry.begin_bulk_load(), std::logic_error);
        }
        // Each batch of add() is acknowledged once, in order, when its households can be read.
        std::size_t acknowledged = 0;
        const auto acknowledge = [&](std::size_t b) {
            return [&, b](std::vector<Registration>& registrations,
                          std::vector<diachi::Result<diachi::store::Registered>>& out) {
                EXPECT_EQ(b, acknowledged++);
                EXPECT_EQ(registrations.size(), batches[b].size());
                ASSERT_EQ(out.size(), batches[b].size());
                for (std::size_t i = 0; i < out.size(); ++i) {
                    ASSERT_TRUE(out[i]) << out[i].error().message();
                    EXPECT_EQ(registrations[i].external_id, out[i]->household.external_id);
                    EXPECT_TRUE(registry.get(out[i]->household.id));
                    // Batch 1's ids, sent again.
                    EXPECT_EQ(out[i]->created, !(b == 2 && i < 100) && !(b == 3 && i >= 500));
                }
            };
        };
        std::vector<diachi::Result<diachi::store::Registered>> out;
        for (std::size_t b = 0; b < batches.size(); ++b) {
            if (name == "pipelined") {
                load->add(batches[b], acknowledge(b));
                EXPECT_EQ(acknowledged, b);  // the batch before it, durable now
            } else {
                registry.register_households(batches[b], &out);
                acknowledge(b)(const_cast<std::vector<Registration>&>(batches[b]), out);
            }
            if (b == 2) {
                // One more household in the cell of the first household of batch 0, on its
                // own; then household 7 moves into the cell of household 3 and household 9
                // into a cell the load has not seen. (They wait for the batch being written;
                // batch 2 was decided while batch 1 was.)
                Registration r = batches[0][0];
                r.external_id = "single";
                const auto single = registry.register_household(r);
                ASSERT_TRUE(single) << single.error().message();
                EXPECT_GT(single->household.code.unit(), 1U);
                const auto third = registry.get(3).value();
                ASSERT_TRUE(registry.move(7, third.location, "test"));
                ASSERT_TRUE(
                    registry.move(9, LatLngE7::from_degrees(20.38, 106.03).value(), "test"));
            }
        }
        if (load) {
            load->flush();
        }
        EXPECT_EQ(acknowledged, batches.size());
        // Registrations after the moves go on from the moves' units.
        Registration after = batches[0][0];
        after.location = registry.get(7).value().location;
        after.external_id = "after";
        ASSERT_TRUE(registry.register_household(after));
        if (load) {
            load->finish();
            EXPECT_THROW(load->finish(), std::logic_error);
            EXPECT_THROW(load->add({}, {}), std::logic_error);
        } else {
            registry.compact();
        }
        EXPECT_EQ(registry.household_count(), 2202U);
        const auto check = registry.check();
        EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
    }
    const auto plain = raw_contents(dir / "plain");
    for (const char* name : {"loaded", "pipelined"}) {
        // The load's merge left no family with files in level 0.
        for (const auto& [family, files] : level0_files(dir / name)) {
            EXPECT_EQ(files, 0U) << name << ", column family " << family;
        }
        const auto loaded = raw_contents(dir / name);
        ASSERT_EQ(plain.size(), loaded.size());
        for (const auto& [family, entries] : plain) {
            EXPECT_EQ(loaded.at(family), entries) << name << ", column family " << family;
        }
    }
}

TEST_F(IngestTest, ABatchThatCannotBeWrittenEndsThePipeline) {
    // A batch of add() whose write fails is neither written nor acknowledged; the load takes no
    // more batches, and the store, which lacks that batch, serves writers correctly from then
    // on: they read it, not the load's tables.
    const auto batches = village_batches();
    RegistryOptions options;
    options.ingest_min_batch = 100;
    const std::filesystem::path path = dir / "store";
    Registry registry(path.string(), options);
    registry.import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
    std::size_t acknowledged = 0;
    const auto count = [&](auto&, auto&) { ++acknowledged; };
    {
        auto load = registry.begin_bulk_load();
        load.add(batches[0], count);
        load.flush();
        EXPECT_EQ(acknowledged, 1U);
        // Batch files are written in the store's scratch folder: a file in its place fails them.
        std::filesystem::remove_all(path / "ingest");
        std::ofstream(path / "ingest") << "in the way";
        load.add(batches[1], count);
        try {
            load.add(batches[2], count);
            ADD_FAILURE() << "a failed write went unreported";
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("ingest"), std::string::npos) << e.what();
        }
        EXPECT_THROW(load.add(batches[3], count), std::runtime_error);
        EXPECT_THROW(load.flush(), std::runtime_error);
        EXPECT_THROW(load.finish(), std::runtime_error);
        EXPECT_EQ(acknowledged, 1U);
        std::filesystem::remove(path / "ingest");
        // Batch 1 again, by hand: its ids are new to the store, and its cells' units go on from
        // batch 0's.
        std::vector<diachi::Result<diachi::store::Registered>> out;
        registry.register_households(batches[1], &out);
        for (const auto& result : out) {
            ASSERT_TRUE(result) << result.error().message();
            EXPECT_TRUE(result->created);
        }
    }
    EXPECT_EQ(registry.household_count(), 1200U);
    const auto check = registry.check();
    EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
    EXPECT_EQ(check.external_ids, 1200U);
}

TEST_F(IngestTest, ALoadIntoAStoreWithHouseholdsIsNotDeferred) {
    {
        Registry registry(dir / "store");
        registry.import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        {
            // Ended without finish(): compaction is back to normal, a new load may begin.
            auto load = registry.begin_bulk_load();
            EXPECT_TRUE(load.deferred());
        }
        Registration r;
        r.location = LatLngE7::from_degrees(20.22, 105.82).value();
        r.source = "test";
        r.external_id = "1";
        ASSERT_TRUE(registry.register_household(r));
        auto load = registry.begin_bulk_load();
        EXPECT_FALSE(load.deferred());
        // The load reads the store: the household is found by its id, its cell's unit 1 taken.
        const auto again = registry.register_household(r);
        ASSERT_TRUE(again);
        EXPECT_FALSE(again->created);
        r.external_id = "2";
        const auto second = registry.register_household(r);
        ASSERT_TRUE(second);
        EXPECT_EQ(second->household.code.unit(), 2U);
        load.finish();
        EXPECT_TRUE(registry.check().ok());
    }
    RegistryOptions read_only;
    read_only.read_only = true;
    Registry replica(dir / "store", read_only);
    EXPECT_THROW((void)replica.begin_bulk_load(), std::logic_error);
}
