#include "auth/tokens.h"

#include "auth/digest.h"
#include "base/clock.h"
#include "base/encoding.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

constexpr std::string_view kColumns =
    "t.id, t.user_id, t.name, t.role, t.created_at, t.expires_at, t.last_used_at, t.revoked_at";

ApiToken FromRow(const store::Row& row) {
  ApiToken t;
  t.id = row.Int(0);
  t.user_id = row.Int(1);
  t.name = row.Text(2);
  t.role = row.Text(3);
  t.created_at = row.Int(4);
  t.expires_at = row.Int(5);
  t.last_used_at = row.OptInt(6);
  t.revoked_at = row.OptInt(7);
  return t;
}

Status Exec(store::Tx& tx, std::string_view sql, const std::vector<store::Value>& params) {
  auto r = tx.Exec(sql, params);
  return r ? Status::Ok() : r.error();
}

}  // namespace

std::string NewTokenText() {
  return std::string(kTokenPrefix) + RandomToken(32);
}

bool TokenTextWellFormed(std::string_view text) {
  if (text.substr(0, kTokenPrefix.size()) != kTokenPrefix) return false;
  std::string_view body = text.substr(kTokenPrefix.size());
  if (body.size() != 43) return false;  // 32 bytes in unpadded Base64url
  auto bytes = Base64UrlDecode(body);
  return bytes && bytes->size() == 32;
}

Result<int64_t> InsertToken(store::Tx& tx, const ApiToken& t, std::string_view text) {
  return tx.Insert(
      "INSERT INTO api_tokens (user_id, name, role, token_hash, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {t.user_id, t.name, t.role, Sha256Hex(text), t.created_at, t.expires_at});
}

Result<std::optional<TokenWithOwner>> FindTokenByText(store::Tx& tx, std::string_view text) {
  FS_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne("SELECT " + std::string(kColumns) +
                                      ", u.username, u.role, u.disabled FROM api_tokens t "
                                      "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
                                  {Sha256Hex(text)}));
  if (!row) return std::optional<TokenWithOwner>();
  TokenWithOwner out;
  out.token = FromRow(*row);
  out.username = row->Text(8);
  out.owner_role = row->Text(9);
  out.owner_disabled = row->Int(10) != 0;
  return std::optional<TokenWithOwner>(std::move(out));
}

Result<std::optional<ApiToken>> FindTokenById(store::Tx& tx, int64_t id) {
  FS_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT " + std::string(kColumns) + " FROM api_tokens t WHERE t.id = ?", {id}));
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(FromRow(*row));
}

Result<std::vector<ApiToken>> ListTokens(store::Tx& tx, std::optional<int64_t> user_id,
                                         std::optional<int64_t> after_id, int limit) {
  // Built once: this runs on every list request.
  static const std::string kEveryone =
      "SELECT " + std::string(kColumns) + " FROM api_tokens t WHERE t.id > ? ORDER BY t.id LIMIT ?";
  static const std::string kOwn = "SELECT " + std::string(kColumns) +
                                  " FROM api_tokens t WHERE t.id > ? AND t.user_id = ? "
                                  "ORDER BY t.id LIMIT ?";
  std::vector<store::Value> params;
  params.reserve(3);
  params.emplace_back(after_id.value_or(0));
  if (user_id) params.emplace_back(*user_id);
  params.emplace_back(int64_t{limit});
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(user_id ? kOwn : kEveryone, params));
  std::vector<ApiToken> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(FromRow(row));
  return out;
}

Status RevokeToken(store::Tx& tx, int64_t id, int64_t now_ms) {
  return Exec(tx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
              {now_ms, id});
}

Status RevokeUserTokens(store::Tx& tx, int64_t user_id, int64_t now_ms) {
  return Exec(tx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
              {now_ms, user_id});
}

Status TouchToken(store::Tx& tx, int64_t id, int64_t now_ms) {
  return Exec(tx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now_ms, id});
}

boost::json::object TokenJson(const ApiToken& t) {
  boost::json::object o{{"id", t.id},
                        {"user_id", t.user_id},
                        {"name", t.name},
                        {"role", t.role},
                        {"created_at", FormatRfc3339(t.created_at)},
                        {"expires_at", FormatRfc3339(t.expires_at)}};
  o["last_used_at"] = t.last_used_at ? boost::json::value(FormatRfc3339(*t.last_used_at))
                                     : boost::json::value(nullptr);
  o["revoked_at"] =
      t.revoked_at ? boost::json::value(FormatRfc3339(*t.revoked_at)) : boost::json::value(nullptr);
  return o;
}

void WriteTokenJson(json::Writer& w, const ApiToken& t) {
  // Field order and formats must stay those of TokenJson (tokens_test.cc compares them).
  auto time_field = [&w](std::string_view key, const std::optional<int64_t>& ms) {
    if (ms) {
      w.Field(key, FormatRfc3339(*ms));
    } else {
      w.NullField(key);
    }
  };
  w.BeginObject();
  w.Field("id", t.id);
  w.Field("user_id", t.user_id);
  w.Field("name", t.name);
  w.Field("role", t.role);
  time_field("created_at", t.created_at);
  time_field("expires_at", t.expires_at);
  time_field("last_used_at", t.last_used_at);
  time_field("revoked_at", t.revoked_at);
  w.EndObject();
}

boost::json::value TokenJsonSchema() {
  return boost::json::parse(R"({
    "type": "object",
    "required": ["id", "user_id", "name", "role", "created_at", "expires_at"],
    "properties": {
      "id": {"type": "integer"},
      "user_id": {"type": "integer"},
      "name": {"type": "string"},
      "role": {"type": "string", "enum": ["admin", "responder", "viewer"]},
      "created_at": {"type": "string", "format": "date-time"},
      "expires_at": {"type": "string", "format": "date-time"},
      "last_used_at": {"type": ["string", "null"], "format": "date-time"},
      "revoked_at": {"type": ["string", "null"], "format": "date-time"}
    }
  })");
}

}  // namespace failsafe::auth
