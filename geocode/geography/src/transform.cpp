#include <diachi/geography/transform.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <proj.h>

namespace diachi::geography {
namespace {

struct Tm3Zone {
    double central_meridian_deg;
    int epsg;
};

// EPSG's VN-2000 / TM-3 projected CRSs (k = 0.9999, false easting 500 km), by central meridian.
constexpr std::array<Tm3Zone, 17> tm3_zones = {{
    {103.0, 9205},
    {104.0, 9206},
    {104.5, 9207},
    {104.75, 9208},
    {105.0, 5897},
    {105.5, 9209},
    {105.75, 9210},
    {106.0, 9211},
    {106.25, 9212},
    {106.5, 9213},
    {107.0, 9214},
    {107.25, 9215},
    {107.5, 9216},
    {107.75, 5899},
    {108.0, 5898},
    {108.25, 9217},
    {108.5, 9218},
}};

constexpr std::string_view tm3_prefix = "VN2000-TM3:";

}  // namespace

std::string expand_crs(std::string_view crs) {
    if (crs.size() > tm3_prefix.size() && crs.substr(0, tm3_prefix.size()) == tm3_prefix) {
        const std::string number(crs.substr(tm3_prefix.size()));
        std::size_t used = 0;
        double meridian = 0.0;
        try {
            meridian = std::stod(number, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != number.size()) {
            throw std::invalid_argument("CRS '" + std::string(crs) +
                                        "': expected VN2000-TM3:<central meridian in degrees>");
        }
        return vn2000_tm3_crs(meridian);
    }
    return std::string(crs);
}

std::string vn2000_tm3_crs(double central_meridian_deg) {
    for (const auto& zone : tm3_zones) {
        if (std::fabs(zone.central_meridian_deg - central_meridian_deg) < 1e-9) {
            return "EPSG:" + std::to_string(zone.epsg);
        }
    }
    throw std::invalid_argument("no VN-2000 TM-3 zone has central meridian " +
                                std::to_string(central_meridian_deg) +
                                " degrees (EPSG defines 103.0 .. 108.5)");
}

struct Transform::Impl {
    PJ_CONTEXT* context = nullptr;
    PJ* operation = nullptr;

    ~Impl() {
        if (operation != nullptr) {
            proj_destroy(operation);
        }
        if (context != nullptr) {
            proj_context_destroy(context);
        }
    }
};

Transform::Transform(std::string_view source_crs)
    : m_source_crs(source_crs), m_impl(std::make_unique<Impl>()) {
    const std::string resolved = expand_crs(source_crs);
    m_impl->context = proj_context_create();
    if (m_impl->context == nullptr) {
        throw std::runtime_error("PROJ: cannot create a context");
    }
    proj_log_level(m_impl->context, PJ_LOG_NONE);
    PJ* raw = proj_create_crs_to_crs(m_impl->context, resolved.c_str(), "EPSG:4326", nullptr);
    if (raw == nullptr) {
        const int code = proj_context_errno(m_impl->context);
        throw std::invalid_argument("CRS '" + std::string(source_crs) +
                                    "': PROJ cannot transform it to WGS 84 (" +
                                    proj_context_errno_string(m_impl->context, code) + ")");
    }
    // Longitude first for geographic CRSs, easting first for projected ones, on both sides.
    m_impl->operation = proj_normalize_for_visualization(m_impl->context, raw);
    proj_destroy(raw);
    if (m_impl->operation == nullptr) {
        throw std::invalid_argument("CRS '" + std::string(source_crs) +
                                    "': PROJ cannot normalise its axis order");
    }
}

Transform::~Transform() = default;
Transform::Transform(Transform&&) noexcept = default;
Transform& Transform::operator=(Transform&&) noexcept = default;

Result<LatLngDeg> Transform::to_wgs84(SourcePoint point) const noexcept {
    if (!std::isfinite(point.x) || !std::isfinite(point.y)) {
        return Error{ErrorCode::not_finite, 0, 0, "expected finite coordinates"};
    }
    const auto forward = [this](double x, double y, PJ_COORD* out) {
        proj_errno_reset(m_impl->operation);
        *out = proj_trans(m_impl->operation, PJ_FWD, proj_coord(x, y, 0.0, 0.0));
        return std::isfinite(out->xy.x) && std::isfinite(out->xy.y) &&
               proj_errno(m_impl->operation) == 0 && std::fabs(out->xy.y) <= 90.0 &&
               std::fabs(out->xy.x) <= 180.0;
    };
    PJ_COORD target;
    if (!forward(point.x, point.y, &target)) {
        return Error{ErrorCode::out_of_range, 0, 0,
                     "the point lies outside the domain of its CRS (wrong CRS or axis order?)"};
    }
    // The Helmert shift works in 3D: height 0 on one side is not height 0 on the other, which
    // moves the inverse by about a millimetre. Heights are unknown, so define the answer as the
    // WGS 84 point at height 0 that from_wgs84() maps onto the source point, found by a few
    // fixed-point steps p += F(source) - F(G(p)), with F this transformation and G its inverse.
    PJ_COORD guess = target;
    for (int step = 0; step < 3; ++step) {
        proj_errno_reset(m_impl->operation);
        const PJ_COORD back =
            proj_trans(m_impl->operation, PJ_INV, proj_coord(guess.xy.x, guess.xy.y, 0.0, 0.0));
        PJ_COORD moved;
        if (proj_errno(m_impl->operation) != 0 || !forward(back.xy.x, back.xy.y, &moved)) {
            break;
        }
        // moved = F(G(guess)) differs from guess by the height effect e; target - moved
        // = F(source) - F(G(guess)) vanishes exactly when G(guess) is the source point.
        guess.xy.x += target.xy.x - moved.xy.x;
        guess.xy.y += target.xy.y - moved.xy.y;
    }
    return LatLngDeg{guess.xy.y, guess.xy.x};
}

Result<SourcePoint> Transform::from_wgs84(LatLngDeg point) const noexcept {
    if (!std::isfinite(point.lat_deg) || !std::isfinite(point.lng_deg)) {
        return Error{ErrorCode::not_finite, 0, 0, "expected finite coordinates"};
    }
    proj_errno_reset(m_impl->operation);
    const PJ_COORD out =
        proj_trans(m_impl->operation, PJ_INV, proj_coord(point.lng_deg, point.lat_deg, 0.0, 0.0));
    if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y) ||
        proj_errno(m_impl->operation) != 0) {
        return Error{ErrorCode::out_of_range, 0, 0, "the point lies outside the CRS's domain"};
    }
    return SourcePoint{out.xy.x, out.xy.y};
}

}  // namespace diachi::geography
