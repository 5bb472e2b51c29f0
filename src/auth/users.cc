#include "auth/users.h"

#include "base/clock.h"

namespace failsafe::auth {
namespace {

constexpr std::string_view kColumns =
    "id, username, display_name, email, role, password_hash, disabled, totp_secret, "
    "totp_enabled, totp_required, totp_last_step, failed_logins, locked_until, created_at, "
    "updated_at";

User FromRow(const store::Row& row) {
  User u;
  u.id = row.Int(0);
  u.username = row.Text(1);
  u.display_name = row.Text(2);
  u.email = row.Text(3);
  u.role = row.Text(4);
  u.password_hash = row.Text(5);
  u.disabled = row.Int(6) != 0;
  u.totp_secret = row.OptText(7);
  u.totp_enabled = row.Int(8) != 0;
  u.totp_required = row.Int(9) != 0;
  u.totp_last_step = row.Int(10);
  u.failed_logins = row.Int(11);
  u.locked_until = row.Int(12);
  u.created_at = row.Int(13);
  u.updated_at = row.Int(14);
  return u;
}

Result<std::optional<User>> FindOne(store::Tx& tx, const std::string& where,
                                    const store::Value& value) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kColumns) +
                                                " FROM users WHERE " + where + " = ?",
                                            {value}));
  if (!row) return std::optional<User>();
  return std::optional<User>(FromRow(*row));
}

}  // namespace

Result<std::string> NormalizeUsername(std::string_view username, const std::string& field) {
  if (username.empty() || username.size() > 64) {
    return Err(InvalidArgument("username must be 1-64 characters", field));
  }
  std::string out;
  out.reserve(username.size());
  for (char c : username) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Err(InvalidArgument("username may contain only letters a-z, digits, '.', '_' and '-'",
                                 field));
    }
    out += c;
  }
  return out;
}

std::string TotpAad(int64_t user_id) {
  return "users.totp_secret:" + std::to_string(user_id);
}

Result<std::optional<User>> FindUserById(store::Tx& tx, int64_t id) {
  return FindOne(tx, "id", id);
}

Result<std::optional<User>> FindUserByName(store::Tx& tx, const std::string& username) {
  return FindOne(tx, "username", username);
}

Result<int64_t> InsertUser(store::Tx& tx, const User& u) {
  auto id = tx.Insert(
      "INSERT INTO users (username, display_name, email, role, password_hash, disabled, "
      "totp_secret, totp_enabled, totp_required, totp_last_step, failed_logins, locked_until, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {u.username, u.display_name, u.email, u.role, u.password_hash, int64_t{u.disabled},
       store::OptionalText(u.totp_secret), int64_t{u.totp_enabled}, int64_t{u.totp_required},
       u.totp_last_step, u.failed_logins, u.locked_until, u.created_at, u.updated_at});
  if (!id && id.error().code() == ErrorCode::kAlreadyExists) {
    return Err(AlreadyExists("username '" + u.username + "' is taken", "username"));
  }
  return id;
}

Status UpdateUser(store::Tx& tx, const User& u) {
  FS_ASSIGN_OR_RETURN_STATUS(
      int64_t changed,
      tx.Exec(
          "UPDATE users SET display_name = ?, email = ?, role = ?, password_hash = ?, "
          "disabled = ?, totp_secret = ?, totp_enabled = ?, totp_required = ?, "
          "totp_last_step = ?, failed_logins = ?, locked_until = ?, updated_at = ? "
          "WHERE id = ?",
          {u.display_name, u.email, u.role, u.password_hash, int64_t{u.disabled},
           store::OptionalText(u.totp_secret), int64_t{u.totp_enabled}, int64_t{u.totp_required},
           u.totp_last_step, u.failed_logins, u.locked_until, u.updated_at, u.id}));
  if (changed != 1) return NotFound("user " + std::to_string(u.id) + " not found");
  return Status::Ok();
}

Result<std::vector<User>> ListUsers(store::Tx& tx, std::optional<int64_t> after_id, int limit) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT " + std::string(kColumns) +
                                              " FROM users WHERE id > ? ORDER BY id LIMIT ?",
                                          {after_id.value_or(0), int64_t{limit}}));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(FromRow(row));
  return out;
}

Result<int64_t> CountActiveAdmins(store::Tx& tx) {
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"));
  return row ? row->Int(0) : 0;
}

Result<int64_t> CountUsers(store::Tx& tx) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM users"));
  return row ? row->Int(0) : 0;
}

boost::json::object UserJson(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"email", u.email},
          {"role", u.role},
          {"disabled", u.disabled},
          {"totp_enabled", u.totp_enabled},
          {"totp_required", u.totp_required},
          {"created_at", FormatRfc3339(u.created_at)},
          {"updated_at", FormatRfc3339(u.updated_at)}};
}

boost::json::value UserJsonSchema() {
  return boost::json::parse(R"({
    "type": "object",
    "required": ["id", "username", "role", "disabled", "totp_enabled", "totp_required"],
    "properties": {
      "id": {"type": "integer"},
      "username": {"type": "string", "pattern": "^[a-z0-9._-]{1,64}$"},
      "display_name": {"type": "string"},
      "email": {"type": "string"},
      "role": {"type": "string", "enum": ["admin", "responder", "viewer"]},
      "disabled": {"type": "boolean"},
      "totp_enabled": {"type": "boolean"},
      "totp_required": {"type": "boolean"},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}
    }
  })");
}

}  // namespace failsafe::auth
