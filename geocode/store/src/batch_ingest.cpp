#include "batch_ingest.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <vector>

#include <rocksdb/comparator.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>

#include "run_both.hpp"

namespace diachi::store::detail {
namespace {

enum class Kind : std::uint8_t { put, merge, erase };

struct Entry {
    Kind kind;
    std::uint32_t order;  // position in the batch: writes to one key keep it
    std::uint64_t head;   // the key's first 8 bytes as a big-endian number (zero-padded)
    rocksdb::Slice key;
    rocksdb::Slice value;
};

std::uint64_t head_of(const rocksdb::Slice& key) {
    std::uint64_t head = 0;
    const std::size_t n = std::min<std::size_t>(key.size(), 8);
    for (std::size_t i = 0; i < n; ++i) {
        head |= std::uint64_t{static_cast<unsigned char>(key[i])} << (56 - 8 * i);
    }
    return head;
}

/// Key (bytewise, as the store's comparator), then batch order. Most keys differ in their first
/// eight bytes: one integer comparison decides.
bool before(const Entry& a, const Entry& b) {
    if (a.head != b.head) {
        return a.head < b.head;
    }
    if (const int c = a.key.compare(b.key); c != 0) {
        return c < 0;
    }
    return a.order < b.order;
}

/// The entries of a batch by column family id; the slices point into the batch's own bytes.
/// Run over the batches twice: first counting (so each family's entries take one allocation of
/// their final size, not a doubling into fresh pages; a bulk batch has over a million), then
/// collecting.
class Collector : public rocksdb::WriteBatch::Handler {
public:
    std::vector<std::vector<Entry>> by_family;
    bool unsupported = false;

    /// Ends the counting pass: reserves what was counted; what comes next is collected.
    void collect() {
        for (std::size_t id = 0; id < m_counts.size(); ++id) {
            if (id >= by_family.size()) {
                by_family.resize(id + 1);
            }
            by_family[id].reserve(m_counts[id]);
        }
        m_counting = false;
    }

    rocksdb::Status PutCF(std::uint32_t family, const rocksdb::Slice& key,
                          const rocksdb::Slice& value) override {
        return add(family, Kind::put, key, value);
    }
    rocksdb::Status MergeCF(std::uint32_t family, const rocksdb::Slice& key,
                            const rocksdb::Slice& value) override {
        return add(family, Kind::merge, key, value);
    }
    rocksdb::Status DeleteCF(std::uint32_t family, const rocksdb::Slice& key) override {
        return add(family, Kind::erase, key, {});
    }
    rocksdb::Status SingleDeleteCF(std::uint32_t, const rocksdb::Slice&) override {
        return refuse();
    }
    rocksdb::Status DeleteRangeCF(std::uint32_t, const rocksdb::Slice&,
                                  const rocksdb::Slice&) override {
        return refuse();
    }
    rocksdb::Status PutBlobIndexCF(std::uint32_t, const rocksdb::Slice&,
                                   const rocksdb::Slice&) override {
        return refuse();
    }
    rocksdb::Status PutEntityCF(std::uint32_t, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
        return refuse();
    }

private:
    std::uint32_t m_order = 0;
    bool m_counting = true;
    std::vector<std::size_t> m_counts;  // entries by family id, from the counting pass

    rocksdb::Status add(std::uint32_t family, Kind kind, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) {
        if (m_counting) {
            if (family >= m_counts.size()) {
                m_counts.resize(family + 1);
            }
            ++m_counts[family];
            return rocksdb::Status::OK();
        }
        if (family >= by_family.size()) {
            by_family.resize(family + 1);
        }
        by_family[family].push_back({kind, m_order++, head_of(key), key, value});
        return rocksdb::Status::OK();
    }
    rocksdb::Status refuse() {
        unsupported = true;
        return rocksdb::Status::OK();
    }
};

/// Combines the writes to one key (@p run, in batch order) into one entry, or returns false.
bool fold(std::span<const Entry> run, const rocksdb::MergeOperator* merge,
          std::deque<std::string>* storage, Entry* out) {
    const Entry* base = nullptr;  // the last put or delete
    std::vector<rocksdb::Slice> operands;
    for (const Entry& e : run) {
        if (e.kind == Kind::merge) {
            operands.push_back(e.value);
        } else {
            base = &e;
            operands.clear();
        }
    }
    *out = run.back();
    if (operands.empty()) {
        *out = *base;
        return true;
    }
    if (merge == nullptr) {
        return false;
    }
    if (operands.size() == 1 && base == nullptr) {
        return true;  // the one operand, as it was
    }
    std::string& result = storage->emplace_back();
    if (base != nullptr) {
        const rocksdb::Slice* existing = base->kind == Kind::put ? &base->value : nullptr;
        const rocksdb::MergeOperator::MergeOperationInput input(run.front().key, existing,
                                                                operands, nullptr);
        rocksdb::Slice existing_operand(nullptr, 0);  // set only when the result is an operand
        rocksdb::MergeOperator::MergeOperationOutput output(result, existing_operand);
        if (!merge->FullMergeV2(input, &output)) {
            return false;
        }
        if (existing_operand.data() != nullptr) {
            result.assign(existing_operand.data(), existing_operand.size());
        }
        out->kind = Kind::put;
    } else {
        const std::deque<rocksdb::Slice> list(operands.begin(), operands.end());
        if (!merge->PartialMergeMulti(run.front().key, list, &result, nullptr)) {
            return false;
        }
        out->kind = Kind::merge;
    }
    out->value = result;
    return true;
}

void check(const rocksdb::Status& status, const std::string& what) {
    if (!status.ok()) {
        throw std::runtime_error(what + ": " + status.ToString());
    }
}

/// One column family's part of a batch, and the file it becomes.
struct FamilyFile {
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    std::vector<Entry> entries;        // the batch's writes, then one per key in key order
    std::deque<std::string> combined;  // values folded from several writes (stable addresses)
    std::string path;
};

/// True when every key of @p file sorts after the family's existing keys: the file then lands
/// on the last level, untouched by compaction.
bool appends(rocksdb::DB* db, const FamilyFile& file) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), file.handle));
    it->SeekToLast();
    check(it->status(), "ingesting a batch: reading the last key of " + file.handle->GetName());
    return !it->Valid() || it->key().compare(file.entries.front().key) < 0;
}

/// Orders @p file's entries and combines the writes to each key; false when some cannot be.
bool order(rocksdb::DB* db, FamilyFile* file) {
    const rocksdb::Options options = db->GetOptions(file->handle);
    if (options.comparator != rocksdb::BytewiseComparator()) {
        return false;  // before() orders bytewise
    }
    auto& entries = file->entries;
    std::sort(entries.begin(), entries.end(), before);
    const auto& merge = options.merge_operator;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < entries.size();) {
        std::size_t j = i + 1;
        while (j < entries.size() && entries[j].head == entries[i].head &&
               entries[j].key == entries[i].key) {
            ++j;
        }
        Entry combined;
        if (!fold(std::span(entries).subspan(i, j - i), merge.get(), &file->combined,
                  &combined)) {
            return false;
        }
        entries[kept++] = combined;
        i = j;
    }
    entries.resize(kept);
    return true;
}

/// The table options of level-0 files that one merge rewrites soon (Level0Files::merged_soon).
std::shared_ptr<rocksdb::TableFactory> merged_soon_tables() {
    static const std::shared_ptr<rocksdb::TableFactory> factory = [] {
        rocksdb::BlockBasedTableOptions table;
        table.format_version = 5;
        table.block_size = 32 * 1024;
        table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinarySearch;
        return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));
    }();
    return factory;
}

void write_file(rocksdb::DB* db, const FamilyFile& file, Level0Files level0) {
    rocksdb::Options options = db->GetOptions(file.handle);
    if (!appends(db, file)) {
        // A table file writer compresses for the last level when the family says how; this
        // file goes to the top and is rewritten by compaction.
        options.bottommost_compression = rocksdb::kDisableCompressionOption;
        if (level0 == Level0Files::merged_soon) {
            options.table_factory = merged_soon_tables();
        }
    }
    // The file is read again soon (by compaction or reads): keep it in the page cache.
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, file.handle,
                                  /*invalidate_page_cache=*/false);
    const std::string what = "ingesting a batch: writing " + file.path;
    check(writer.Open(file.path), what);
    for (const Entry& e : file.entries) {
        switch (e.kind) {
            case Kind::put: check(writer.Put(e.key, e.value), what); break;
            case Kind::merge: check(writer.Merge(e.key, e.value), what); break;
            case Kind::erase: check(writer.Delete(e.key), what); break;
        }
    }
    check(writer.Finish(), what);
}

/// Orders and writes every file, on up to two threads (the caller's and one more); false when
/// some family's writes cannot be combined.
bool build_files(rocksdb::DB* db, std::vector<FamilyFile>* files, Level0Files level0) {
    // The largest first, so that the two threads finish close together.
    std::vector<FamilyFile*> queue;
    for (auto& file : *files) {
        queue.push_back(&file);
    }
    std::sort(queue.begin(), queue.end(), [](const FamilyFile* a, const FamilyFile* b) {
        return a->entries.size() > b->entries.size();
    });
    std::atomic<std::size_t> next{0};
    std::atomic<bool> combinable{true};
    const auto work = [&] {
        for (std::size_t i = next++; i < queue.size() && combinable; i = next++) {
            if (!order(db, queue[i])) {
                combinable = false;
                return;
            }
            write_file(db, *queue[i], level0);
        }
    };
    if (queue.size() > 1) {
        run_both(work, work);
    } else {
        work();
    }
    return combinable;
}

void remove_files(const std::vector<FamilyFile>& files) {
    for (const auto& file : files) {
        std::error_code ignored;
        std::filesystem::remove(file.path, ignored);
    }
}

}  // namespace

IngestResult ingest_batch(rocksdb::DB* db, std::span<const rocksdb::WriteBatch* const> batches,
                          std::span<rocksdb::ColumnFamilyHandle* const> families,
                          const std::string& scratch_dir, Level0Files level0) {
    Collector collector;
    for (const rocksdb::WriteBatch* batch : batches) {
        check(batch->Iterate(&collector), "ingesting a batch: reading it");
    }
    if (collector.unsupported) {
        return {};
    }
    collector.collect();
    for (const rocksdb::WriteBatch* batch : batches) {
        check(batch->Iterate(&collector), "ingesting a batch: reading it");
    }
    static std::atomic<std::uint64_t> serial{0};
    const std::string stem = scratch_dir + "/" + std::to_string(serial++) + "-";
    std::vector<FamilyFile> files;
    files.reserve(collector.by_family.size());  // no copies of the entries as it grows
    for (std::uint32_t id = 0; id < collector.by_family.size(); ++id) {
        if (collector.by_family[id].empty()) {
            continue;
        }
        const auto handle = std::find_if(families.begin(), families.end(),
                                         [&](const auto* h) { return h->GetID() == id; });
        if (handle == families.end()) {
            throw std::runtime_error("ingesting a batch: unknown column family " +
                                     std::to_string(id));
        }
        FamilyFile& file = files.emplace_back();
        file.handle = *handle;
        file.entries = std::move(collector.by_family[id]);
        file.path = stem + (*handle)->GetName() + ".sst";
    }
    if (files.empty()) {
        return {};
    }

    std::error_code error;
    std::filesystem::create_directories(scratch_dir, error);
    if (error) {
        throw std::runtime_error("ingesting a batch: creating " + scratch_dir + ": " +
                                 error.message());
    }
    IngestResult result;
    try {
        if (!build_files(db, &files, level0)) {
            remove_files(files);
            return {};
        }
        std::vector<rocksdb::IngestExternalFileArg> args;
        for (const auto& file : files) {
            auto& arg = args.emplace_back();
            arg.column_family = file.handle;
            arg.external_files = {file.path};
            arg.options.move_files = true;
            result.entries += file.entries.size();
        }
        check(db->IngestExternalFiles(args), "ingesting a batch");
    } catch (...) {
        remove_files(files);
        throw;
    }
    remove_files(files);  // moved files are hard links: the store holds its own
    result.ingested = true;
    result.files = files.size();
    return result;
}

void append_batch(const rocksdb::WriteBatch& from,
                  std::span<rocksdb::ColumnFamilyHandle* const> families, rocksdb::WriteBatch* to) {
    class Append : public rocksdb::WriteBatch::Handler {
    public:
        Append(std::span<rocksdb::ColumnFamilyHandle* const> families, rocksdb::WriteBatch* to)
            : m_families(families), m_to(to) {}
        rocksdb::Status PutCF(std::uint32_t family, const rocksdb::Slice& key,
                              const rocksdb::Slice& value) override {
            auto* h = handle(family);
            return h != nullptr ? m_to->Put(h, key, value) : unknown(family);
        }
        rocksdb::Status MergeCF(std::uint32_t family, const rocksdb::Slice& key,
                                const rocksdb::Slice& value) override {
            auto* h = handle(family);
            return h != nullptr ? m_to->Merge(h, key, value) : unknown(family);
        }
        rocksdb::Status DeleteCF(std::uint32_t family, const rocksdb::Slice& key) override {
            auto* h = handle(family);
            return h != nullptr ? m_to->Delete(h, key) : unknown(family);
        }
        rocksdb::Status SingleDeleteCF(std::uint32_t, const rocksdb::Slice&) override {
            return refuse("a single deletion");
        }
        rocksdb::Status DeleteRangeCF(std::uint32_t, const rocksdb::Slice&,
                                      const rocksdb::Slice&) override {
            return refuse("a range deletion");
        }
        rocksdb::Status PutBlobIndexCF(std::uint32_t, const rocksdb::Slice&,
                                       const rocksdb::Slice&) override {
            return refuse("a blob index");
        }
        rocksdb::Status PutEntityCF(std::uint32_t, const rocksdb::Slice&,
                                    const rocksdb::Slice&) override {
            return refuse("an entity");
        }

    private:
        std::span<rocksdb::ColumnFamilyHandle* const> m_families;
        rocksdb::WriteBatch* m_to;

        rocksdb::ColumnFamilyHandle* handle(std::uint32_t id) const {
            const auto it = std::find_if(m_families.begin(), m_families.end(),
                                         [&](const auto* h) { return h->GetID() == id; });
            return it != m_families.end() ? *it : nullptr;
        }
        static rocksdb::Status unknown(std::uint32_t id) {
            return rocksdb::Status::InvalidArgument("unknown column family " + std::to_string(id));
        }
        static rocksdb::Status refuse(const char* what) {
            return rocksdb::Status::NotSupported(std::string(what) + " is not appended");
        }
    };
    Append append(families, to);
    check(from.Iterate(&append), "appending a batch");
}

void clear_scratch(const std::string& scratch_dir) {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_dir, ignored);
}

}  // namespace diachi::store::detail
