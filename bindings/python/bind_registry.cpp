// diachi.Registry: zones and the household registry; diachi.Household and friends.

#include <string>
#include <vector>

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <diachi/geography/unit_reader.hpp>
#include <diachi/geography/zone_reader.hpp>
#include <diachi/store/importer.hpp>
#include <diachi/store/registry.hpp>

#include "bind.hpp"

namespace diachi::python {
namespace {

using store::Access;
using store::Household;
using store::Registry;

LatLngE7 location_of(const py::object& lat, const py::object& lng) {
    if (py::isinstance<py::str>(lat) && py::isinstance<py::str>(lng)) {
        return unwrap(LatLngE7::from_decimal(lat.cast<std::string>(), lng.cast<std::string>()));
    }
    if (py::isinstance<py::str>(lat) || py::isinstance<py::str>(lng)) {
        throw py::type_error("give latitude and longitude both as numbers or both as strings");
    }
    return unwrap(LatLngE7::from_degrees(lat.cast<double>(), lng.cast<double>()));
}

Access access_of(bool staff) { return staff ? Access::staff : Access::anonymous; }

py::dict zone_dict(const geography::Zone& z) {
    py::dict d;
    d["zone_id"] = z.id;
    d["commune"] = z.name;
    d["province_id"] = z.parent_id;
    d["province"] = z.parent_name;
    d["postcode"] = diachi::postcode_text(z.postcode).str();
    d["valid_from"] = z.valid_from;
    d["valid_to"] = z.valid_to;
    return d;
}

py::dict progress_dict(const store::ImportProgress& p) {
    py::dict d;
    d["rows"] = p.rows;
    d["created"] = p.created;
    d["existing"] = p.existing;
    d["failed"] = p.failed;
    d["total_hint"] = p.total_hint;
    d["seconds"] = p.seconds;
    d["merging"] = p.merging;
    return d;
}

}  // namespace

void bind_registry(py::module_& m) {
    py::class_<store::Address>(m, "Address", "The written address below the commune.")
        .def_readonly("house_number", &store::Address::house_number)
        .def_readonly("street", &store::Address::street)
        .def_readonly("hamlet", &store::Address::hamlet)
        .def("__repr__", [](const store::Address& a) {
            return "Address(house_number='" + a.house_number + "', street='" + a.street +
                   "', hamlet='" + a.hamlet + "')";
        });

    py::class_<Household>(m, "Household", "A registered household (read-only).")
        .def_readonly("id", &Household::id)
        .def_readonly("code", &Household::code)
        .def_property_readonly("lat", [](const Household& h) { return h.location.lat_deg(); })
        .def_property_readonly("lng", [](const Household& h) { return h.location.lng_deg(); })
        .def_property_readonly("lat_e7", [](const Household& h) { return h.location.lat_e7; })
        .def_property_readonly("lng_e7", [](const Household& h) { return h.location.lng_e7; })
        .def_readonly("address", &Household::address)
        .def_readonly("zone_id", &Household::zone_id)
        .def_readonly("commune", &Household::commune)
        .def_readonly("province", &Household::province)
        .def_property_readonly("personal",
                               [](const Household& h) -> py::object {
                                   if (!h.personal) {
                                       return py::none();
                                   }
                                   py::dict d;
                                   d["head_of_household"] = h.personal->head_of_household;
                                   d["phone"] = h.personal->phone;
                                   return d;
                               })
        .def_readonly("source", &Household::source)
        .def_readonly("external_id", &Household::external_id)
        .def_readonly("created_ms", &Household::created_ms)
        .def_readonly("updated_ms", &Household::updated_ms)
        .def_readonly("version", &Household::version)
        .def_property_readonly(
            "status", [](const Household& h) { return std::string(store::name(h.status)); })
        .def("__repr__", [](const Household& h) {
            return "Household(id=" + std::to_string(h.id) + ", code='" +
                   std::string(h.code.display().view()) + "', commune='" + h.commune + "')";
        });

    py::class_<store::Resolution>(m, "Resolution", "What resolve() found for a code.")
        .def_readonly("code", &store::Resolution::code)
        .def_property_readonly("match",
                               [](const store::Resolution& r) { return store::name(r.match); })
        .def_readonly("households", &store::Resolution::households)
        .def_readonly("notes", &store::Resolution::notes)
        .def_property_readonly("suggestions", [](const store::Resolution& r) {
            py::list list;
            for (const auto& s : r.suggestions) {
                py::dict d;
                d["code"] = s.code;
                d["household_id"] = s.household_id;
                d["edit"] = s.edit;
                list.append(d);
            }
            return list;
        });

    py::class_<store::SearchResult>(m, "SearchResult",
                                    "A place search() or suggest() found (read-only).")
        .def_property_readonly(
            "kind", [](const store::SearchResult& r) { return std::string(store::name(r.kind)); })
        .def_readonly("score", &store::SearchResult::score)
        .def_readonly("label", &store::SearchResult::label)
        .def_property_readonly("lat",
                               [](const store::SearchResult& r) { return r.location.lat_deg(); })
        .def_property_readonly("lng",
                               [](const store::SearchResult& r) { return r.location.lng_deg(); })
        .def_property_readonly(
            "reading",
            [](const store::SearchResult& r) {
                py::list list;
                for (const auto& span : r.reading) {
                    py::dict d;
                    d["text"] = span.text;
                    d["role"] = span.role;
                    d["place"] = span.place;
                    list.append(d);
                }
                return list;
            },
            "How the text was read: [{'text', 'role', 'place'}], in text order.")
        .def_property_readonly("distance_m",
                               [](const store::SearchResult& r) -> py::object {
                                   if (r.distance_m < 0.0) {
                                       return py::none();
                                   }
                                   return py::float_(r.distance_m);
                               })
        .def_readonly("zone_id", &store::SearchResult::zone_id)
        .def_readonly("commune", &store::SearchResult::commune)
        .def_readonly("province", &store::SearchResult::province)
        .def_property_readonly("postcode",
                               [](const store::SearchResult& r) {
                                   return r.postcode == 0 ? std::string()
                                                          : diachi::postcode_text(r.postcode).str();
                               })
        .def_readonly("households", &store::SearchResult::households)
        .def_readonly("household", &store::SearchResult::household)
        .def_readonly("matched", &store::SearchResult::matched)
        .def_readonly("notes", &store::SearchResult::notes)
        .def("__repr__", [](const store::SearchResult& r) {
            return "SearchResult(" + std::string(store::name(r.kind)) + ", '" + r.label +
                   "', score=" + std::to_string(r.score) + ")";
        });

    py::class_<Registry>(m, "Registry", py::dynamic_attr(),
                         "The household registry in an embedded store at `path` (created if "
                         "missing). Personal fields reach callers that pass staff=True only.")
        .def(py::init([](const std::string& path, bool read_only, bool sync_writes) {
                 store::RegistryOptions options;
                 options.read_only = read_only;
                 options.sync_writes = sync_writes;
                 return std::make_unique<Registry>(path, options);
             }),
             py::arg("path"), py::arg("read_only") = false, py::arg("sync_writes") = false,
             py::call_guard<py::gil_scoped_release>())
        .def(
            "import_zones",
            [](Registry& r, const std::string& path, const std::string& postcodes,
               const std::string& prefixes, const std::string& id_field,
               const std::string& name_field, const std::string& parent_id_field,
               const std::string& parent_name_field, const std::string& postcode_field,
               const std::string& crs, const std::string& valid_from) {
                py::gil_scoped_release release;
                geography::ZoneReadOptions options;
                options.id_field = id_field;
                options.name_field = name_field;
                options.parent_id_field = parent_id_field;
                options.parent_name_field = parent_name_field;
                options.postcode_field = postcode_field;
                options.source_crs = crs;
                options.valid_from = valid_from;
                auto zones = geography::read_zones(path, options);
                if (!postcodes.empty()) {
                    geography::join_postcodes(geography::read_postcode_table(postcodes), &zones);
                }
                std::vector<geography::ProvincePrefixes> table;
                if (!prefixes.empty()) {
                    table = geography::read_prefix_table(prefixes);
                }
                const auto summary = r.import_zones(std::move(zones), table);
                py::gil_scoped_acquire acquire;
                py::dict d;
                d["zones"] = summary.zones;
                d["with_postcode"] = summary.with_postcode;
                d["closed"] = summary.closed;
                return d;
            },
            py::arg("path"), py::arg("postcodes") = "", py::arg("prefixes") = "",
            py::arg("id_field") = "code", py::arg("name_field") = "fullName",
            py::arg("parent_id_field") = "provinceCode",
            py::arg("parent_name_field") = "provinceFullName", py::arg("postcode_field") = "",
            py::arg("crs") = "", py::arg("valid_from") = "2025-07-01",
            "Stores the zones of any GDAL vector file (joined to a postcode CSV) as the current "
            "set.")
        .def(
            "where",
            [](const Registry& r, const py::object& lat, const py::object& lng) {
                const auto place = unwrap(r.where(location_of(lat, lng)));
                py::dict d = zone_dict(place.zone);
                d["inside"] = place.hit.inside;
                d["distance_m"] = place.hit.distance_m;
                return d;
            },
            py::arg("lat"), py::arg("lng"),
            "The commune, province and postcode at a point; CodeError 'outside_zones' at sea.")
        .def(
            "register",
            [](Registry& r, const py::object& lat, const py::object& lng,
               const std::string& house_number, const std::string& street,
               const std::string& hamlet, const std::string& head_of_household,
               const std::string& phone, const std::string& source, const std::string& external_id,
               const std::string& actor) {
                store::Registration reg;
                reg.location = location_of(lat, lng);
                reg.address = {house_number, street, hamlet};
                reg.personal = {head_of_household, phone};
                reg.source = source;
                reg.external_id = external_id;
                reg.actor = actor;
                Result<store::Registered> result = Error{};
                {
                    py::gil_scoped_release release;
                    result = r.register_household(reg);
                }
                return unwrap(result).household;
            },
            py::arg("lat"), py::arg("lng"), py::arg("house_number") = "", py::arg("street") = "",
            py::arg("hamlet") = "", py::arg("head_of_household") = "", py::arg("phone") = "",
            py::arg("source") = "python", py::arg("external_id") = "", py::arg("actor") = "python",
            "Registers a household and returns it with its code.")
        .def(
            "import_file",
            [](Registry& r, const std::string& path, const std::string& crs,
               const std::string& lat_field, const std::string& lng_field,
               const std::string& id_field, const std::string& source, std::size_t batch_size,
               const std::function<void(py::dict)>& progress) {
                store::ImportOptions options;
                options.crs = crs;
                options.lat_field = lat_field;
                options.lng_field = lng_field;
                options.id_field = id_field;
                options.source = source;
                options.batch_size = batch_size;
                py::gil_scoped_release release;
                const auto summary =
                    store::import_households(r, path, options, [&](const store::ImportProgress& p) {
                        if (progress) {
                            py::gil_scoped_acquire acquire;
                            progress(progress_dict(p));
                        }
                    });
                py::gil_scoped_acquire acquire;
                py::dict d = progress_dict(summary.counts);
                py::list errors;
                for (const auto& e : summary.errors) {
                    errors.append(py::make_tuple(e.row, e.message));
                }
                d["errors"] = errors;
                return d;
            },
            py::arg("path"), py::arg("crs") = "", py::arg("lat_field") = "",
            py::arg("lng_field") = "", py::arg("id_field") = "", py::arg("source") = "",
            py::arg("batch_size") = 50000, py::arg("progress") = nullptr,
            "Bulk import from CSV or any GDAL vector file; returns counts and row errors.")
        .def(
            "resolve",
            [](const Registry& r, std::string_view code, bool staff) {
                Result<store::Resolution> result = Error{};
                {
                    py::gil_scoped_release release;
                    result = r.resolve(code, access_of(staff));
                }
                return unwrap(result);
            },
            py::arg("code"), py::arg("staff") = false)
        .def(
            "reverse",
            [](const Registry& r, const py::object& lat, const py::object& lng, std::size_t k,
               double max_distance_m, bool staff) {
                std::vector<store::Nearby> nearby;
                const LatLngE7 p = location_of(lat, lng);
                {
                    py::gil_scoped_release release;
                    r.reverse(p, k, max_distance_m, &nearby, access_of(staff));
                }
                py::list list;
                for (auto& n : nearby) {
                    list.append(py::make_tuple(n.distance_m, std::move(n.household)));
                }
                return list;
            },
            py::arg("lat"), py::arg("lng"), py::arg("k") = 5, py::arg("max_distance_m") = 500.0,
            py::arg("staff") = false, "[(distance_m, Household)], nearest first.")
        .def(
            "within",
            [](const Registry& r, double south, double west, double north, double east) {
                py::list list;
                r.within({south, west, north, east}, [&](const store::HouseholdPoint& p) {
                    list.append(
                        py::make_tuple(p.id, p.location.lat_deg(), p.location.lng_deg(), p.code));
                    return true;
                });
                return list;
            },
            py::arg("south"), py::arg("west"), py::arg("north"), py::arg("east"),
            "[(id, lat, lng, HouseholdCode)] of the active households in the box.")
        .def(
            "get",
            [](const Registry& r, std::uint64_t id, bool staff) {
                return unwrap(r.get(id, access_of(staff)));
            },
            py::arg("id"), py::arg("staff") = false)
        .def(
            "find_external",
            [](const Registry& r, const std::string& source, const std::string& external_id,
               bool staff) {
                return unwrap(r.find_external(source, external_id, access_of(staff)));
            },
            py::arg("source"), py::arg("external_id"), py::arg("staff") = false,
            "The household imported from (source, external id); CodeError 'not_found' if none.")
        .def(
            "update_address",
            [](Registry& r, std::uint64_t id, const std::string& house_number,
               const std::string& street, const std::string& hamlet, const std::string& actor) {
                return unwrap(r.update_address(id, {house_number, street, hamlet}, actor));
            },
            py::arg("id"), py::arg("house_number") = "", py::arg("street") = "",
            py::arg("hamlet") = "", py::arg("actor") = "python")
        .def(
            "move",
            [](Registry& r, std::uint64_t id, const py::object& lat, const py::object& lng,
               const std::string& actor) {
                return unwrap(r.move(id, location_of(lat, lng), actor));
            },
            py::arg("id"), py::arg("lat"), py::arg("lng"), py::arg("actor") = "python")
        .def(
            "retire",
            [](Registry& r, std::uint64_t id, const std::string& actor, const std::string& reason) {
                return unwrap(r.retire(id, actor, reason));
            },
            py::arg("id"), py::arg("actor") = "python", py::arg("reason") = "")
        .def(
            "history",
            [](const Registry& r, std::uint64_t id) {
                py::list list;
                for (const auto& e : r.history(id)) {
                    py::dict d;
                    d["sequence"] = e.sequence;
                    d["time_ms"] = e.time_ms;
                    d["actor"] = e.actor;
                    d["action"] = std::string(store::name(e.action));
                    d["detail"] = e.detail;
                    list.append(d);
                }
                return list;
            },
            py::arg("id"))
        .def(
            "import_old_units",
            [](Registry& r, const std::string& mapping, const std::string& units) {
                py::gil_scoped_release release;
                return r.import_old_units(geography::read_old_units(mapping, units));
            },
            py::arg("mapping"), py::arg("units") = "",
            "Stores the pre-2025 units (old_to_new_communes.csv, and the pre-reform unit list "
            "JSON for districts) so that search maps old addresses to today's communes.")
        .def(
            "search",
            [](const Registry& r, const std::string& query, std::size_t limit, bool staff,
               const std::string& near, const std::string& bbox) {
                store::SearchOptions options;
                options.limit = limit;
                options.access = staff ? store::Access::staff : store::Access::anonymous;
                if (!near.empty()) {
                    const auto point = store::parse_near(near);
                    if (!point) {
                        throw py::value_error(point.error().message());
                    }
                    options.near = *point;
                }
                if (!bbox.empty()) {
                    const auto box = store::parse_bbox(bbox);
                    if (!box) {
                        throw py::value_error(box.error().message());
                    }
                    options.bbox = *box;
                }
                py::gil_scoped_release release;
                return r.search(query, options);
            },
            py::arg("query"), py::arg("limit") = 10, py::arg("staff") = false,
            py::arg("near") = "", py::arg("bbox") = "",
            "Free Vietnamese address text (with or without diacritics, old or new units) or a "
            "household code -> households, hamlets, streets, communes, best first. near='LAT,LNG' "
            "puts the nearer first between equal readings; bbox='S,W,N,E' keeps what is inside.")
        .def(
            "suggest",
            [](const Registry& r, const std::string& prefix, std::size_t limit,
               const std::string& near) {
                if (!near.empty()) {
                    const auto point = store::parse_near(near);
                    if (!point) {
                        throw py::value_error(point.error().message());
                    }
                    py::gil_scoped_release release;
                    return r.suggest(prefix, limit, *point);
                }
                py::gil_scoped_release release;
                return r.suggest(prefix, limit);
            },
            py::arg("prefix"), py::arg("limit") = 10, py::arg("near") = "",
            "Completions for text as it is typed; near='LAT,LNG' puts the nearest first.")
        .def("checkpoint", &Registry::checkpoint, py::arg("path"),
             py::call_guard<py::gil_scoped_release>())
        .def_property_readonly("household_count", &Registry::household_count)
        .def_property_readonly("path", &Registry::path);
}

}  // namespace diachi::python
