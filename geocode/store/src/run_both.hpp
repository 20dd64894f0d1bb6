#ifndef DIACHI_STORE_SRC_RUN_BOTH_HPP
#define DIACHI_STORE_SRC_RUN_BOTH_HPP

// Two pieces of work at once (internal): the store's bulk paths use both cores of a small
// machine this way, the registry to build a batch's households and the ingestion to write its
// table files.

#include <exception>
#include <thread>

namespace diachi::store::detail {

/// Runs @p first on the calling thread and @p second on a new one, and returns when both are
/// done. Rethrows what either threw (the first's exception when both did).
template <typename First, typename Second>
void run_both(First&& first, Second&& second) {
    std::exception_ptr failure;
    std::thread helper([&] {
        try {
            second();
        } catch (...) {
            failure = std::current_exception();
        }
    });
    try {
        first();
    } catch (...) {
        helper.join();
        throw;
    }
    helper.join();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_RUN_BOTH_HPP
