#include <diachi/geography/record_reader.hpp>

#include <cstring>

#include <ogr_spatialref.h>

#include "gdal_internal.hpp"

namespace diachi::geography {

struct RecordReader::Impl {
    detail::DatasetPtr dataset;
    OGRLayer* layer = nullptr;
    std::uint64_t number = 0;
};

RecordReader::RecordReader(const std::string& path, const std::string& layer)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->dataset = detail::open_vector(path);
    m_impl->layer = detail::layer_of(*m_impl->dataset, path, layer);
    OGRFeatureDefn* definition = m_impl->layer->GetLayerDefn();
    for (int i = 0; i < definition->GetFieldCount(); ++i) {
        m_fields.emplace_back(definition->GetFieldDefn(i)->GetNameRef());
    }
    if (const OGRSpatialReference* crs = m_impl->layer->GetSpatialRef()) {
        char* wkt = nullptr;
        if (crs->exportToWkt(&wkt) == OGRERR_NONE && wkt != nullptr) {
            m_crs_wkt = wkt;
        }
        CPLFree(wkt);
    }
    m_is_csv = std::strcmp(m_impl->dataset->GetDriverName(), "CSV") == 0;
    if (m_impl->layer->TestCapability(OLCFastFeatureCount)) {
        m_count_hint = m_impl->layer->GetFeatureCount(FALSE);
    }
    m_impl->layer->ResetReading();
}

RecordReader::~RecordReader() = default;

int RecordReader::field_index(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i] == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool RecordReader::next(Record* out) {
    std::unique_ptr<OGRFeature> feature(m_impl->layer->GetNextFeature());
    if (!feature) {
        return false;
    }
    out->number = ++m_impl->number;
    out->values.resize(m_fields.size());
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const int field = static_cast<int>(i);
        if (feature->IsFieldSetAndNotNull(field)) {
            out->values[i].assign(feature->GetFieldAsString(field));
        } else {
            out->values[i].clear();
        }
    }
    out->has_point = false;
    out->geometry_error.clear();
    if (const OGRGeometry* geometry = feature->GetGeometryRef()) {
        if (wkbFlatten(geometry->getGeometryType()) == wkbPoint && !geometry->IsEmpty()) {
            const auto* point = geometry->toPoint();
            out->has_point = true;
            out->point = SourcePoint{point->getX(), point->getY()};
        } else {
            out->geometry_error = std::string("expected a Point geometry, got ") +
                                  OGRGeometryTypeToName(geometry->getGeometryType());
        }
    }
    return true;
}

}  // namespace diachi::geography
