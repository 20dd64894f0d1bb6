// The Python module `diachi`: the same names as the C++ library.

#include "bind.hpp"

#include <string>

namespace diachi::python {
namespace {

// Owned by the module (a reference is leaked on purpose: it lives as long as the interpreter).
PyObject* code_error_type = nullptr;

}  // namespace

void bind_errors(py::module_& m) {
    code_error_type = PyErr_NewExceptionWithDoc(
        "diachi.CodeError",
        "Raised for malformed codes and coordinates (a ValueError). The attribute `code` holds "
        "the stable error name, e.g. 'invalid_character'; `position` the 1-based character "
        "position (0 when the error is not about one character).",
        PyExc_ValueError, nullptr);
    if (code_error_type == nullptr) {
        throw py::error_already_set();
    }
    m.attr("CodeError") = py::handle(code_error_type);
}

void throw_error(const Error& error) {
    py::object exc = py::handle(code_error_type)(error.message());
    exc.attr("code") = std::string(name(error.code));
    exc.attr("position") = error.position;
    PyErr_SetObject(code_error_type, exc.ptr());
    throw py::error_already_set();
}

olc::GridPoint grid_point_of(const py::object& lat, const py::object& lng) {
    if (py::isinstance<py::str>(lat) && py::isinstance<py::str>(lng)) {
        return unwrap(
            olc::grid_point_from_decimal(lat.cast<std::string>(), lng.cast<std::string>()));
    }
    if (py::isinstance<py::str>(lat) || py::isinstance<py::str>(lng)) {
        throw py::type_error("give latitude and longitude both as numbers or both as strings");
    }
    return unwrap(olc::grid_point(lat.cast<double>(), lng.cast<double>()));
}

}  // namespace diachi::python

PYBIND11_MODULE(diachi, m) {
    m.doc() =
        "diachi: Vietnamese digital addresses (Open Location Code, household codes, registry)";
    m.attr("__version__") = DIACHI_VERSION;
    diachi::python::bind_errors(m);
    diachi::python::bind_olc(m);
    diachi::python::bind_household_code(m);
    diachi::python::bind_registry(m);
    diachi::python::bind_tiles(m);
}
