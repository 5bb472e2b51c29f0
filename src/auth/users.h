#pragma once
// The users table: one row per person who can log in. Repository functions run inside the
// caller's transaction (so a change and its audit entry commit together).
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::auth {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  std::string role;  // admin | responder | viewer
  std::string password_hash;
  bool disabled = false;
  std::optional<std::string> totp_secret;  // sealed by SecretBox (aad: TotpAad(id))
  bool totp_enabled = false;
  bool totp_required = false;
  int64_t totp_last_step = 0;  // replay protection: steps <= this are refused
  int64_t failed_logins = 0;   // consecutive
  int64_t locked_until = 0;    // Unix ms; 0 = not locked
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Lower-cases and checks a username: 1-64 characters of [a-z0-9._-].
// kInvalidArgument (field `field`) otherwise.
Result<std::string> NormalizeUsername(std::string_view username,
                                      const std::string& field = "username");

// The additional data binding a sealed TOTP secret to its user row.
std::string TotpAad(int64_t user_id);

// Each returns the store's error on failure.
Result<std::optional<User>> FindUserById(store::Tx& tx, int64_t id);
Result<std::optional<User>> FindUserByName(store::Tx& tx, const std::string& username);
// Inserts and returns the id; kAlreadyExists (field "username") for a taken username.
Result<int64_t> InsertUser(store::Tx& tx, const User& user);
// Writes every mutable column of `user` (matched by id). kNotFound when the row is gone.
Status UpdateUser(store::Tx& tx, const User& user);
// Users with id > after_id in id order, at most `limit`.
Result<std::vector<User>> ListUsers(store::Tx& tx, std::optional<int64_t> after_id, int limit);
// Enabled admins.
Result<int64_t> CountActiveAdmins(store::Tx& tx);
Result<int64_t> CountUsers(store::Tx& tx);

// The public view of a user: never the password hash or the TOTP secret.
boost::json::object UserJson(const User& user);
// JSON Schema of UserJson, for route docs.
boost::json::value UserJsonSchema();

}  // namespace failsafe::auth
