#pragma once
// API tokens: "fst_" + Base64url(32 random bytes), shown once at creation. The store keeps the
// SHA-256 of the text. A token carries a role no higher than its owner's (checked at creation,
// and capped again at use so a demoted owner's tokens shrink with them).
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace failsafe::auth {

inline constexpr std::string_view kTokenPrefix = "fst_";

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string role;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

// A token joined with the owner fields authentication needs.
struct TokenWithOwner {
  ApiToken token;
  std::string username;
  std::string owner_role;
  bool owner_disabled = false;
};

// A new token text.
std::string NewTokenText();
// True when `text` has the shape of a token this server makes (prefix and 32 bytes).
bool TokenTextWellFormed(std::string_view text);

// Inserts `t` (id ignored) with the hash of `text`; returns the id.
Result<int64_t> InsertToken(store::Tx& tx, const ApiToken& t, std::string_view text);
Result<std::optional<TokenWithOwner>> FindTokenByText(store::Tx& tx, std::string_view text);
Result<std::optional<ApiToken>> FindTokenById(store::Tx& tx, int64_t id);
// Tokens with id > after_id in id order; only `user_id`'s when given.
Result<std::vector<ApiToken>> ListTokens(store::Tx& tx, std::optional<int64_t> user_id,
                                         std::optional<int64_t> after_id, int limit);
Status RevokeToken(store::Tx& tx, int64_t id, int64_t now_ms);
Status RevokeUserTokens(store::Tx& tx, int64_t user_id, int64_t now_ms);
Status TouchToken(store::Tx& tx, int64_t id, int64_t now_ms);

// Public view: never the hash or the text.
boost::json::object TokenJson(const ApiToken& t);
// The same view written straight as JSON text (byte-for-byte TokenJson serialised), for the
// list route, which would otherwise build and free a DOM object per row.
void WriteTokenJson(json::Writer& w, const ApiToken& t);
boost::json::value TokenJsonSchema();

}  // namespace failsafe::auth
