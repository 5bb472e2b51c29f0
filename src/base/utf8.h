#pragma once
#include <cstddef>
#include <string_view>

namespace failsafe {
// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);
// The longest prefix of `text` of at most `max_bytes` that does not end inside a multi-byte
// sequence (titles and excerpts cut to a limit stay valid UTF-8).
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);
}  // namespace failsafe
