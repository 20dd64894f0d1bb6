#include "gdal_internal.hpp"

#include <mutex>
#include <stdexcept>

#include <cpl_error.h>

namespace diachi::geography::detail {

DatasetPtr open_vector(const std::string& path) {
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    auto* dataset = static_cast<GDALDataset*>(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    CPLPopErrorHandler();
    if (dataset == nullptr) {
        const std::string reason = CPLGetLastErrorMsg();
        throw std::runtime_error(path + ": cannot open as a vector dataset" +
                                 (reason.empty() ? std::string() : " (" + reason + ")"));
    }
    return DatasetPtr(dataset);
}

OGRLayer* layer_of(GDALDataset& dataset, const std::string& path, const std::string& name) {
    OGRLayer* layer = name.empty() ? (dataset.GetLayerCount() > 0 ? dataset.GetLayer(0) : nullptr)
                                   : dataset.GetLayerByName(name.c_str());
    if (layer == nullptr) {
        throw std::runtime_error(
            path + ": " +
            (name.empty() ? std::string("no layer") : "no layer named '" + name + "'"));
    }
    return layer;
}

int required_field(OGRLayer& layer, const std::string& path, const std::string& name) {
    OGRFeatureDefn* definition = layer.GetLayerDefn();
    const int index = definition->GetFieldIndex(name.c_str());
    if (index < 0) {
        std::string fields;
        for (int i = 0; i < definition->GetFieldCount(); ++i) {
            fields += (i > 0 ? ", " : "") + std::string(definition->GetFieldDefn(i)->GetNameRef());
        }
        throw std::runtime_error(path + ": no field '" + name + "' (fields: " + fields + ")");
    }
    return index;
}

}  // namespace diachi::geography::detail
