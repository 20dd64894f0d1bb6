#pragma once

// Large write batches written as table files and ingested, not inserted into memtables.
//
// A bulk registration writes a record, a code entry, an external id, a history event and index
// entries per household. Through the memtable, every one of them is a skip-list insert (about
// three quarters of the time of a registration); the memtable is then flushed to a table file
// anyway. ingest_batch() sorts the batch once per column family, writes each family's entries
// as one table file, and hands all the files to RocksDB in one atomic ingestion: either every
// file of the batch is in the store or none is, and once it returns they are synced and named
// in the manifest, so the batch survives a killed process like a write through the log does.

#include <cstdint>
#include <span>
#include <string>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

namespace diachi::store::detail {

/// How ingest_batch() writes the files that go to level 0.
enum class Level0Files : std::uint8_t {
    /// As the family's options say (filters, block hash indexes, its upper-level compression):
    /// they may be read for a long time before compaction takes them.
    lasting,
    /// To be rewritten soon by one merge (a deferred bulk load, Registry::begin_bulk_load()):
    /// no Bloom filter, no hash index in blocks, blocks of 32 KiB (the family's upper-level
    /// compression still). The few reads before the merge search each file's index; the merge
    /// writes the family's own tables.
    merged_soon,
};

/// What ingest_batch() did.
struct IngestResult {
    bool ingested = false;    ///< false: the batch cannot be put as files; nothing was written
    std::size_t files = 0;    ///< table files ingested (one per column family written)
    std::size_t entries = 0;  ///< entries written, after the writes to one key were combined
};

/// Writes @p batches (in their order, as if they were one batch) into @p db as one table file
/// per column family they name, through
/// @p scratch_dir (created when missing; the files are moved into the store), and ingests them
/// atomically. The store then holds what writing the batches one after the other would have
/// left in it:
///  - writes to one key combine in batch order: the last put or delete, then the merge operands
///    after it folded into it with the family's merge operator (operands alone are combined
///    with its partial merge);
///  - a family whose new keys all sort after its existing ones (ids, history) gets a file
///    compressed for the last level, where it lands; the others go to level 0, written as
///    @p level0 says.
///
/// Returns ingested = false and writes nothing when the batch holds what a file cannot express
/// (a range deletion, a single deletion, merge operands the operator does not combine) or names
/// a family with a comparator other than the bytewise one. The caller then writes the batch as
/// usual.
///
/// @p families maps a column family id to its handle (every family the batch names).
/// @throws std::runtime_error when a file cannot be written or the ingestion fails (nothing
///         of the batch is then in the store).
IngestResult ingest_batch(rocksdb::DB* db, std::span<const rocksdb::WriteBatch* const> batches,
                          std::span<rocksdb::ColumnFamilyHandle* const> families,
                          const std::string& scratch_dir,
                          Level0Files level0 = Level0Files::lasting);

/// ingest_batch() of one batch.
inline IngestResult ingest_batch(rocksdb::DB* db, const rocksdb::WriteBatch& batch,
                                 std::span<rocksdb::ColumnFamilyHandle* const> families,
                                 const std::string& scratch_dir,
                                 Level0Files level0 = Level0Files::lasting) {
    const rocksdb::WriteBatch* one = &batch;
    return ingest_batch(db, std::span(&one, 1), families, scratch_dir, level0);
}

/// Appends the puts, merges and deletes of @p from to @p to; @p families maps a column family
/// id to its handle.
/// @throws std::runtime_error when @p from holds any other kind of write, or names a family
///         not in @p families (@p to may then hold part of @p from).
void append_batch(const rocksdb::WriteBatch& from,
                  std::span<rocksdb::ColumnFamilyHandle* const> families, rocksdb::WriteBatch* to);

/// Removes what an ingestion cut short left in @p scratch_dir (files never ingested).
void clear_scratch(const std::string& scratch_dir);

}  // namespace diachi::store::detail
