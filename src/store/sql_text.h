#pragma once
// Internal: the placeholder rewrite, also reporting how many placeholders it numbered.
#include <string>
#include <string_view>

namespace failsafe::store {

std::string RewritePlaceholders(std::string_view sql, int* count);

}  // namespace failsafe::store
