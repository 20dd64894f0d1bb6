#ifndef DIACHI_BINDINGS_PYTHON_BIND_HPP
#define DIACHI_BINDINGS_PYTHON_BIND_HPP

// Shared by the bind_<area>.cpp files of the Python module.

#include <string_view>

#include <pybind11/pybind11.h>

#include <diachi/error.hpp>
#include <diachi/olc.hpp>

namespace diachi::python {

namespace py = pybind11;

/// Adds diachi.CodeError (a ValueError) to @p m; throw_error() raises it.
void bind_errors(py::module_& m);
/// Raises diachi.CodeError with the error's message and its `code` name.
[[noreturn]] void throw_error(const Error& error);

/// The value of @p result, or raises diachi.CodeError.
template <typename T>
const T& unwrap(const Result<T>& result) {
    if (!result) {
        throw_error(result.error());
    }
    return *result;
}

/// A point given as two numbers (read as doubles) or two strings (read as exact decimals).
olc::GridPoint grid_point_of(const py::object& lat, const py::object& lng);

void bind_olc(py::module_& m);
void bind_household_code(py::module_& m);
void bind_registry(py::module_& m);
/// TileRenderer, Registry.tile() and Registry.export_pyramid(); after bind_registry().
void bind_tiles(py::module_& m);

}  // namespace diachi::python

#endif  // DIACHI_BINDINGS_PYTHON_BIND_HPP
