#include <diachi/tiles/gzip.hpp>

#include <stdexcept>

#include <zlib.h>

namespace diachi::tiles {

void gzip(std::string_view data, std::string* out, int level) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: zlib could not start");
    }
    const std::size_t start = out->size();
    out->resize(start + deflateBound(&z, static_cast<uLong>(data.size())) + 32);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out->data() + start);
    z.avail_out = static_cast<uInt>(out->size() - start);
    const int status = deflate(&z, Z_FINISH);
    const std::size_t written = z.total_out;
    deflateEnd(&z);
    if (status != Z_STREAM_END) {
        out->resize(start);
        throw std::runtime_error("gzip: zlib failed to compress");
    }
    out->resize(start + written);
}

std::string gzip(std::string_view data, int level) {
    std::string out;
    gzip(data, &out, level);
    return out;
}

bool is_gzip(std::string_view data) noexcept {
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
}

std::string gunzip(std::string_view data, std::size_t max_bytes) {
    z_stream z{};
    // windowBits 15 + 32: detect gzip or zlib headers.
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        throw std::runtime_error("gunzip: zlib could not start");
    }
    std::string out;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    int status = Z_OK;
    char buffer[64 * 1024];
    while (status != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        status = inflate(&z, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            inflateEnd(&z);
            throw std::runtime_error("corrupt gzip data (zlib: " +
                                     std::string(z.msg != nullptr ? z.msg : "truncated") + ")");
        }
        out.append(buffer, sizeof buffer - z.avail_out);
        if (out.size() > max_bytes) {
            inflateEnd(&z);
            throw std::runtime_error("gzip data inflates beyond " + std::to_string(max_bytes) +
                                     " bytes");
        }
        if (status == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            inflateEnd(&z);
            throw std::runtime_error("corrupt gzip data (truncated)");
        }
    }
    inflateEnd(&z);
    return out;
}

}  // namespace diachi::tiles
