// diachi.olc: Open Location Code, with numpy batch versions that release the GIL.

#include <cstring>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bind.hpp"

namespace diachi::python {
namespace {

using FloatArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::array encode_many(const FloatArray& lats, const FloatArray& lngs, int length) {
    if (lats.ndim() != 1 || lngs.ndim() != 1 || lats.shape(0) != lngs.shape(0)) {
        throw py::value_error("lats and lngs must be 1-D arrays of the same length");
    }
    if (!olc::is_valid_length(length)) {
        throw_error(Error{ErrorCode::invalid_length, 0, 0,
                          "code length must be 2, 4, 6, 8, or 10 and more"});
    }
    const int digits = length > olc::max_length ? olc::max_length : length;
    const std::size_t width = static_cast<std::size_t>(digits <= 8 ? 9 : digits + 1);
    const auto n = static_cast<std::size_t>(lats.shape(0));
    py::array out(py::dtype("S" + std::to_string(width)),
                  std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
    char* dst = static_cast<char*>(out.mutable_data());
    const double* lat = lats.data();
    const double* lng = lngs.data();
    std::size_t bad = n;
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < n; ++i) {
            const auto point = olc::grid_point(lat[i], lng[i]);
            if (!point) {
                bad = i;
                break;
            }
            const olc::Code code = olc::encode_unchecked(*point, digits);
            std::memcpy(dst + i * width, code.data(), width);
        }
    }
    if (bad != n) {
        throw py::value_error("point " + std::to_string(bad) + " is not finite");
    }
    return out;
}

/// Decodes each code; rows are (south, west, north, east) in degrees.
py::array_t<double> decode_many(const py::object& input) {
    std::vector<std::string> owned;  // used when codes are not a bytes array
    const char* base = nullptr;
    std::size_t width = 0;
    std::size_t n = 0;
    py::array codes;
    if (py::isinstance<py::array>(input)) {
        codes = input.cast<py::array>();
    }
    if (codes && codes.dtype().kind() == 'S') {
        base = static_cast<const char*>(codes.data());
        width = static_cast<std::size_t>(codes.itemsize());
        n = static_cast<std::size_t>(codes.size());
        if (codes.ndim() != 1 || !(codes.flags() & py::array::c_style)) {
            throw py::value_error("codes must be a contiguous 1-D array");
        }
    } else {
        owned = input.cast<std::vector<std::string>>();
        n = owned.size();
    }
    py::array_t<double> out({static_cast<py::ssize_t>(n), py::ssize_t{4}});
    double* dst = out.mutable_data();
    std::size_t bad = n;
    Error error;
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < n; ++i) {
            std::string_view text;
            if (base != nullptr) {
                const char* item = base + i * width;
                text = std::string_view(item, strnlen(item, width));
            } else {
                text = owned[i];
            }
            const auto area = olc::decode(text);
            if (!area) {
                bad = i;
                error = area.error();
                break;
            }
            dst[4 * i] = area->south_deg();
            dst[4 * i + 1] = area->west_deg();
            dst[4 * i + 2] = area->north_deg();
            dst[4 * i + 3] = area->east_deg();
        }
    }
    if (bad != n) {
        error.detail = {};
        throw py::value_error("code " + std::to_string(bad) + ": " + error.message());
    }
    return out;
}

}  // namespace

void bind_olc(py::module_& m) {
    py::module_ o = m.def_submodule("olc", "Open Location Code (plus codes), computed in integers");
    o.attr("alphabet") = std::string(olc::alphabet);
    o.attr("lat_steps_per_degree") = olc::lat_steps_per_degree;
    o.attr("lng_steps_per_degree") = olc::lng_steps_per_degree;

    py::class_<olc::CodeArea>(o, "CodeArea", "The rectangle a code stands for (immutable).")
        .def_property_readonly("south_deg", &olc::CodeArea::south_deg)
        .def_property_readonly("west_deg", &olc::CodeArea::west_deg)
        .def_property_readonly("north_deg", &olc::CodeArea::north_deg)
        .def_property_readonly("east_deg", &olc::CodeArea::east_deg)
        .def_property_readonly("center_lat_deg", &olc::CodeArea::center_lat_deg)
        .def_property_readonly("center_lng_deg", &olc::CodeArea::center_lng_deg)
        .def_readonly("length", &olc::CodeArea::length)
        .def_property_readonly("south_west_steps",
                               [](const olc::CodeArea& a) {
                                   return py::make_tuple(a.south_west.lat_steps,
                                                         a.south_west.lng_steps);
                               })
        .def("__eq__", [](const olc::CodeArea& a, const olc::CodeArea& b) { return a == b; })
        .def("__repr__", [](const olc::CodeArea& a) {
            return "CodeArea(south=" + std::to_string(a.south_deg()) +
                   ", west=" + std::to_string(a.west_deg()) +
                   ", north=" + std::to_string(a.north_deg()) +
                   ", east=" + std::to_string(a.east_deg()) +
                   ", length=" + std::to_string(a.length) + ")";
        });

    o.def(
        "encode",
        [](const py::object& lat, const py::object& lng, int length) {
            return std::string(unwrap(olc::encode(grid_point_of(lat, lng), length)).view());
        },
        py::arg("lat"), py::arg("lng"), py::arg("length") = olc::pair_code_length,
        "The code of a point. Numbers are read as doubles (like the reference implementations); "
        "strings such as '21.0006' are read exactly.");
    o.def(
        "decode", [](std::string_view code) { return unwrap(olc::decode(code)); }, py::arg("code"),
        "The area of a full code.");
    o.def("is_valid", &olc::is_valid, py::arg("code"));
    o.def("is_short", &olc::is_short, py::arg("code"));
    o.def("is_full", &olc::is_full, py::arg("code"));
    o.def(
        "shorten",
        [](std::string_view code, const py::object& lat, const py::object& lng) {
            return std::string(unwrap(olc::shorten(code, grid_point_of(lat, lng))).view());
        },
        py::arg("code"), py::arg("lat"), py::arg("lng"));
    o.def(
        "recover_nearest",
        [](std::string_view code, const py::object& lat, const py::object& lng) {
            return std::string(unwrap(olc::recover_nearest(code, grid_point_of(lat, lng))).view());
        },
        py::arg("short_code"), py::arg("lat"), py::arg("lng"));
    o.def(
        "grid_point_from_decimal",
        [](std::string_view lat, std::string_view lng) {
            const auto p = unwrap(olc::grid_point_from_decimal(lat, lng));
            return py::make_tuple(p.lat_steps, p.lng_steps);
        },
        py::arg("lat"), py::arg("lng"),
        "(lat_steps, lng_steps) of a point typed as decimal text, exactly.");
    o.def(
        "encode_integers",
        [](std::int64_t lat_steps, std::int64_t lng_steps, int length) {
            return std::string(
                unwrap(olc::encode(olc::GridPoint{lat_steps, lng_steps}, length)).view());
        },
        py::arg("lat_steps"), py::arg("lng_steps"), py::arg("length") = olc::pair_code_length);
    o.def(
        "encode_many", &encode_many, py::arg("lats"), py::arg("lngs"),
        py::arg("length") = olc::pair_code_length,
        "Codes of many points at once, as a numpy bytes array (dtype S9..S16). Releases the GIL.");
    o.def("decode_many", &decode_many, py::arg("codes"),
          "Areas of many full codes (a numpy bytes array or a sequence of str) as an (n, 4) "
          "float array of south, west, north, east. Releases the GIL.");
}

}  // namespace diachi::python
