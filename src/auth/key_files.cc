// LoadOrCreateKeys / LoadKeys (declared in auth_module.h): the key files in the data directory.
#include "auth/auth_module.h"
#include "auth/secret_box.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

constexpr std::string_view kSecretKeyFile = "secret.key";
constexpr std::string_view kAuditKeyFile = "audit.key";

std::string JoinPath(const std::string& dir, std::string_view file) {
  if (dir.empty()) return std::string(file);
  return dir.back() == '/' ? dir + std::string(file) : dir + "/" + std::string(file);
}

Result<std::string> ReadKey(Env& env, const std::string& path) {
  auto data = env.ReadFile(path);
  if (!data) return Err(data.error().WithContext("reading key file " + path));
  if (data->size() != kSecretKeyBytes) {
    return Err(FailedPrecondition("key file " + path + " has " + std::to_string(data->size()) +
                                  " bytes, expected " + std::to_string(kSecretKeyBytes) +
                                  " (damaged or not a failsafe key)"));
  }
  return *data;
}

Result<std::string> ReadOrCreateKey(Env& env, const std::string& path) {
  if (env.FileExists(path)) return ReadKey(env, path);
  std::string key = RandomBytes(kSecretKeyBytes);
  FS_RETURN_IF_ERROR(env.WriteFileAtomic(path, key, 0600).WithContext("creating key file " + path));
  return key;
}

}  // namespace

Result<KeyFiles> LoadOrCreateKeys(Env& env, const std::string& data_dir) {
  FS_RETURN_IF_ERROR(env.CreateDirs(data_dir, 0700).WithContext("creating data directory"));
  KeyFiles keys;
  FS_ASSIGN_OR_RETURN(keys.secret_key, ReadOrCreateKey(env, JoinPath(data_dir, kSecretKeyFile)));
  FS_ASSIGN_OR_RETURN(keys.audit_key, ReadOrCreateKey(env, JoinPath(data_dir, kAuditKeyFile)));
  return keys;
}

Result<KeyFiles> LoadKeys(Env& env, const std::string& data_dir) {
  KeyFiles keys;
  FS_ASSIGN_OR_RETURN(keys.secret_key, ReadKey(env, JoinPath(data_dir, kSecretKeyFile)));
  FS_ASSIGN_OR_RETURN(keys.audit_key, ReadKey(env, JoinPath(data_dir, kAuditKeyFile)));
  return keys;
}

}  // namespace failsafe::auth
