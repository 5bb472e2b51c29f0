#pragma once
// Keyset pagination for list endpoints: ?limit=N&cursor=C, answered as
// {"items": [...], "next_cursor": "..." | null}. Cursors are opaque to clients (base64url of
// the last row id), so the encoding can change without breaking them.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "server/http_types.h"

namespace failsafe::server {

struct PageRequest {
  int limit = 50;
  std::optional<int64_t> after_id;  // rows with id > after_id; nullopt: from the start
};

// Reads `limit` (1..max_limit, default default_limit) and `cursor` from the query.
// kInvalidArgument with field "limit" or "cursor" for a non-number, out-of-range limit or a
// cursor this server did not make.
Result<PageRequest> ParsePageRequest(const Request& request, int default_limit = 50,
                                     int max_limit = 500);

// The cursor that continues after the row with id `last_id`.
std::string MakeCursor(int64_t last_id);

// {"items": items, "next_cursor": MakeCursor(*next_after_id) or null}. Pass next_after_id
// (the last item's id) only when more rows exist; the usual way is to fetch limit + 1 rows.
boost::json::object PageJson(boost::json::array items, std::optional<int64_t> next_after_id);

// Writes the "next_cursor" field of a page (used by PageResponse).
void WriteNextCursor(json::Writer& w, std::optional<int64_t> next_after_id);

// The same page as JSON text, byte-for-byte what serialising PageJson gives, with each item
// written by `write_item(json::Writer&, const Item&)` straight into the body: long lists skip
// building (and freeing) a DOM per row. `item_size_hint` sizes the body up front.
template <typename Items, typename WriteItem>
Response PageResponse(const Items& items, std::optional<int64_t> next_after_id,
                      WriteItem&& write_item, size_t item_size_hint = 256) {
  std::string body;
  body.reserve(64 + std::size(items) * item_size_hint);
  json::Writer w(body);
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  for (const auto& item : items) write_item(w, item);
  w.EndArray();
  WriteNextCursor(w, next_after_id);
  w.EndObject();
  return Response::JsonText(std::move(body));
}

}  // namespace failsafe::server
