#ifndef DIACHI_GEOGRAPHY_GEOS_INTERNAL_HPP
#define DIACHI_GEOGRAPHY_GEOS_INTERNAL_HPP

// GEOS C API helpers: one reentrant context per thread (GEOS geometries are not tied to the
// context that made them, so any thread may test a shared prepared geometry with its own).

#include <geos_c.h>

namespace diachi::geography::detail {

/// This thread's GEOS context, created on first use and finished when the thread ends.
inline GEOSContextHandle_t geos_context() {
    struct Context {
        GEOSContextHandle_t handle = GEOS_init_r();
        ~Context() { GEOS_finish_r(handle); }
    };
    thread_local Context context;
    return context.handle;
}

}  // namespace diachi::geography::detail

#endif  // DIACHI_GEOGRAPHY_GEOS_INTERNAL_HPP
