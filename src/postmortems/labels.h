#pragma once
// Bilingual labels of the exports and reports (zh-CN and English).
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::postmortems {

enum class Lang { kEn, kZh };

// "en" (the default when absent) or "zh-CN" (also "zh"); kInvalidArgument naming field "lang"
// otherwise.
Result<Lang> ParseLang(const std::optional<std::string>& text);
std::string_view LangTag(Lang lang);  // "en" | "zh-CN"

// The label for `key` (e.g. "summary", "root_causes", "category.network", "verdict.wrong",
// "measure.to_acknowledge", "result.missed"); the key itself when unknown, so a new value
// still shows up rather than vanishing.
std::string Label(Lang lang, std::string_view key);

// A Unix-ms time for people: "2026-11-22 08:30 UTC".
std::string HumanTime(int64_t unix_ms);

// A duration for people: "4h 12m", "35m", "42s", "0s".
std::string HumanDuration(int64_t ms);

}  // namespace failsafe::postmortems
