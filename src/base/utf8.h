#pragma once
#include <string_view>

namespace failsafe {
// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);
}  // namespace failsafe
