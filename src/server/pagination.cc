#include "server/pagination.h"

#include <charconv>

#include "base/encoding.h"

namespace failsafe::server {
namespace {

constexpr std::string_view kCursorPrefix = "id:";  // versions the cursor format

template <typename T>
std::optional<T> ParseInt(std::string_view s) {
  T value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<PageRequest> ParsePageRequest(const Request& request, int default_limit, int max_limit) {
  PageRequest page;
  page.limit = default_limit;
  if (auto raw = request.Query("limit")) {
    auto limit = ParseInt<int>(*raw);
    if (!limit || *limit < 1 || *limit > max_limit) {
      return Err(InvalidArgument("limit must be an integer from 1 to " + std::to_string(max_limit),
                                 "limit"));
    }
    page.limit = *limit;
  }
  if (auto raw = request.Query("cursor"); raw && !raw->empty()) {
    std::optional<std::string> decoded = Base64UrlDecode(*raw);
    std::optional<int64_t> id;
    if (decoded && std::string_view(*decoded).starts_with(kCursorPrefix)) {
      id = ParseInt<int64_t>(std::string_view(*decoded).substr(kCursorPrefix.size()));
    }
    if (!id || *id < 0) return Err(InvalidArgument("cursor is not valid", "cursor"));
    page.after_id = *id;
  }
  return page;
}

std::string MakeCursor(int64_t last_id) {
  return Base64UrlEncode(std::string(kCursorPrefix) + std::to_string(last_id));
}

boost::json::object PageJson(boost::json::array items, std::optional<int64_t> next_after_id) {
  boost::json::object out;
  out["items"] = std::move(items);
  if (next_after_id) {
    out["next_cursor"] = MakeCursor(*next_after_id);
  } else {
    out["next_cursor"] = nullptr;
  }
  return out;
}

}  // namespace failsafe::server

namespace failsafe::server {

void WriteNextCursor(json::Writer& w, std::optional<int64_t> next_after_id) {
  if (next_after_id) {
    w.Field("next_cursor", MakeCursor(*next_after_id));
  } else {
    w.NullField("next_cursor");
  }
}

}  // namespace failsafe::server
