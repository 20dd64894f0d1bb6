// diachi.HouseholdCode: the 12-character household code with unit suffix and check character.

#include <string>
#include <vector>

#include <pybind11/stl.h>

#include <diachi/household_code.hpp>

#include "bind.hpp"

namespace diachi::python {

void bind_household_code(py::module_& m) {
    py::class_<RecoveredCell>(m, "RecoveredCell", "A candidate cell of a household code.")
        .def_property_readonly("code", [](const RecoveredCell& c) { return c.code.str(); })
        .def_readonly("area", &RecoveredCell::area)
        .def_readonly("distance_m", &RecoveredCell::distance_m)
        .def("__repr__", [](const RecoveredCell& c) {
            return "RecoveredCell('" + c.code.str() +
                   "', distance_m=" + std::to_string(c.distance_m) + ")";
        });

    py::class_<HouseholdCode>(m, "HouseholdCode",
                              "A household code: postcode + 7 grid characters (+ unit). Immutable.")
        .def_static(
            "parse", [](std::string_view text) { return unwrap(HouseholdCode::parse(text)); },
            py::arg("text"),
            "Reads any spelling (case, spaces, '-', '+'), verifies a check character if present.")
        .def_static(
            "from_degrees",
            [](std::uint32_t postcode, const py::object& lat, const py::object& lng,
               std::uint16_t unit) {
                return unwrap(HouseholdCode::from_grid(postcode, grid_point_of(lat, lng), unit));
            },
            py::arg("postcode"), py::arg("lat"), py::arg("lng"), py::arg("unit") = 1,
            "The code of a point in the commune with this postcode (numbers or exact strings).")
        .def_static("from_key", &HouseholdCode::from_key, py::arg("key"))
        .def_property_readonly("postcode", &HouseholdCode::postcode)
        .def_property_readonly("unit", &HouseholdCode::unit)
        .def_property_readonly("row", &HouseholdCode::row)
        .def_property_readonly("col", &HouseholdCode::col)
        .def_property_readonly("grid", [](const HouseholdCode& c) { return c.grid().str(); })
        .def_property_readonly("canonical",
                               [](const HouseholdCode& c) { return c.canonical().str(); })
        .def_property_readonly("display", [](const HouseholdCode& c) { return c.display().str(); })
        .def_property_readonly("display_checked",
                               [](const HouseholdCode& c) { return c.display_checked().str(); })
        .def_property_readonly(
            "check_character",
            [](const HouseholdCode& c) { return std::string(1, c.check_character()); })
        .def_property_readonly("key", &HouseholdCode::key)
        .def(
            "with_unit",
            [](const HouseholdCode& c, std::uint16_t unit) {
                if (unit == 0 || unit > HouseholdCode::max_unit) {
                    throw_error(Error{ErrorCode::bad_unit, 0, 0, "a unit is 1..9999"});
                }
                return c.with_unit(unit);
            },
            py::arg("unit"))
        .def(
            "recover",
            [](const HouseholdCode& c, const py::object& lat, const py::object& lng,
               double max_distance_m) {
                std::vector<RecoveredCell> cells;
                c.recover(grid_point_of(lat, lng), max_distance_m, &cells);
                return cells;
            },
            py::arg("lat"), py::arg("lng"), py::arg("max_distance_m") = 100'000.0,
            "Candidate 11-digit cells within reach of a reference point, nearest first.")
        .def("__eq__", [](const HouseholdCode& a, const HouseholdCode& b) { return a == b; })
        .def("__hash__", [](const HouseholdCode& c) { return std::hash<std::uint64_t>{}(c.key()); })
        .def("__str__", [](const HouseholdCode& c) { return c.display().str(); })
        .def("__repr__",
             [](const HouseholdCode& c) { return "HouseholdCode('" + c.display().str() + "')"; });
    m.attr("HouseholdCode").attr("check_alphabet") = std::string(HouseholdCode::check_alphabet);
}

}  // namespace diachi::python
