#include <diachi/server/qr.hpp>

#include <memory>
#include <stdexcept>

#include <qrencode.h>

namespace diachi::server {

std::string qr_svg(std::string_view text, int module_px) {
    const std::string data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(data.size()),
                          reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code) {
        throw std::invalid_argument("the text does not fit a QR code (" +
                                    std::to_string(data.size()) + " bytes)");
    }
    constexpr int quiet = 4;
    const int width = code->width;
    const int side = (width + 2 * quiet) * module_px;
    std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
                      std::to_string(side) + "\" height=\"" + std::to_string(side) +
                      "\" viewBox=\"0 0 " + std::to_string(width + 2 * quiet) + " " +
                      std::to_string(width + 2 * quiet) +
                      "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" "
                      "fill=\"#fff\"/>\n<path fill=\"#000\" d=\"";
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width;) {
            if ((code->data[y * width + x] & 1) == 0) {
                ++x;
                continue;
            }
            int run = 1;  // dark modules side by side become one rectangle
            while (x + run < width && (code->data[y * width + x + run] & 1) != 0) {
                ++run;
            }
            svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" +
                   std::to_string(run) + "v1h-" + std::to_string(run) + "z";
            x += run;
        }
    }
    svg += "\"/>\n</svg>\n";
    return svg;
}

}  // namespace diachi::server
