#ifndef DIACHI_GEOGRAPHY_GDAL_INTERNAL_HPP
#define DIACHI_GEOGRAPHY_GDAL_INTERNAL_HPP

// GDAL helpers shared by the readers: registration once, datasets opened read-only with errors
// turned into exceptions that name the path.

#include <memory>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace diachi::geography::detail {

struct DatasetCloser {
    void operator()(GDALDataset* dataset) const noexcept { GDALClose(dataset); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

/// Opens a vector dataset read-only. Throws std::runtime_error naming @p path and GDAL's reason.
DatasetPtr open_vector(const std::string& path);

/// The layer @p name of @p dataset, or its first layer when @p name is empty. Throws
/// std::runtime_error naming the path and the layer.
OGRLayer* layer_of(GDALDataset& dataset, const std::string& path, const std::string& name);

/// The index of field @p name in @p layer; throws std::runtime_error naming the path, the field
/// and the fields that exist when there is none.
int required_field(OGRLayer& layer, const std::string& path, const std::string& name);

}  // namespace diachi::geography::detail

#endif  // DIACHI_GEOGRAPHY_GDAL_INTERNAL_HPP
