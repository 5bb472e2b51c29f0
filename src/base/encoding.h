#pragma once
// Byte encodings used across modules: hex, Base64 (RFC 4648, padded) and Base64url (unpadded).
#include <optional>
#include <string>
#include <string_view>

namespace failsafe {

std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);  // no padding
std::optional<std::string> Base64UrlDecode(std::string_view text);

// RFC 4648 Base32 without padding (TOTP secrets in otpauth:// URIs).
std::string Base32Encode(std::string_view bytes);
std::optional<std::string> Base32Decode(std::string_view text);

// Percent-encoding for URL query components (RFC 3986 unreserved kept).
std::string UrlEncode(std::string_view text);
std::optional<std::string> UrlDecode(std::string_view text);

}  // namespace failsafe
