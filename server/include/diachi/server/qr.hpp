#ifndef DIACHI_SERVER_QR_HPP
#define DIACHI_SERVER_QR_HPP

/// @file
/// QR codes for door plates, as SVG (libqrencode): error correction level M (about 15 % of the
/// symbol may be lost), a quiet zone of 4 modules, one path of dark modules, so the plate
/// prints sharp at any size.

#include <string>
#include <string_view>

namespace diachi::server {

/// The QR code of @p text as an SVG document, @p module_px units a module. Throws
/// std::invalid_argument when the text does not fit a QR code (over 2,331 bytes at level M).
[[nodiscard]] std::string qr_svg(std::string_view text, int module_px = 8);

}  // namespace diachi::server

#endif  // DIACHI_SERVER_QR_HPP
