#include "backup/repo/keys.h"

#include <algorithm>

#include "backup/crypto/hash.h"
#include "base/env.h"

namespace failsafe::backup {
namespace {

struct StoredKey {
  Id id;
  crypto::KeyFile key;
};

// Every key file that parses, newest first, and how many did not parse.
Result<std::vector<StoredKey>> LoadKeys(Backend& backend, size_t* unreadable) {
  FS_ASSIGN_OR_RETURN(auto files, backend.List(FileType::kKey));
  std::vector<StoredKey> keys;
  for (const FileInfo& f : files) {
    // A key that cannot be read is skipped here (another key may open the repository);
    // the count goes into the message when none does.
    auto id = Id::FromHex(f.name);
    if (!id) continue;  // not a key file (a backend's temporary file)
    auto text = backend.Load(FileType::kKey, f.name);
    auto key = text ? crypto::DecodeKeyFile(*text, f.name) : Err(text.error());
    if (!key) {
      ++*unreadable;
      continue;
    }
    keys.push_back({*id, std::move(*key)});
  }
  std::sort(keys.begin(), keys.end(),
            [](const StoredKey& a, const StoredKey& b) { return a.key.created > b.key.created; });
  return keys;
}

}  // namespace

Result<std::string> ReadKeyFileSecret(const std::string& path) {
  auto text = Env::Default()->ReadFile(path);
  if (!text) return Err(text.error().WithContext("reading key file " + path));
  return crypto::ParseKeyFileSecret(*text, path);
}

Result<std::string> CreateKeyFileSecret(const std::string& path) {
  if (Env::Default()->FileExists(path))
    return Err(AlreadyExists("key file " + path + " already exists; not overwriting it"));
  std::string secret = crypto::NewKeyFileSecret();
  FS_RETURN_IF_ERROR(
      Env::Default()->WriteFileAtomic(path, crypto::KeyFileSecretText(secret), 0600));
  return secret;
}

Result<OpenedKey> OpenWithCredentials(Backend& backend, const Credentials& credentials) {
  std::string secret;
  if (credentials.key_file) {
    FS_ASSIGN_OR_RETURN(secret, ReadKeyFileSecret(*credentials.key_file));
  }
  if (!credentials.password && !credentials.key_file)
    return Err(InvalidArgument(
        "a password (FAILSAFE_BACKUP_PASSWORD or --password-file) or --key-file is needed"));
  size_t unreadable = 0;
  FS_ASSIGN_OR_RETURN(auto keys, LoadKeys(backend, &unreadable));
  size_t tried = 0;
  for (const StoredKey& k : keys) {
    const bool password_kind = k.key.kind == crypto::kKindPassword;
    if (password_kind ? !credentials.password : !credentials.key_file) continue;
    ++tried;
    auto master = crypto::Unwrap(k.key, credentials.password ? &*credentials.password : nullptr,
                                 credentials.key_file ? &secret : nullptr, k.id.Hex());
    if (master) return OpenedKey{std::move(*master), k.id};
    if (master.error().code() != ErrorCode::kUnauthenticated) return Err(master.error());
  }
  if (keys.empty() && unreadable == 0)
    return Err(NotFound(backend.Location() + " has no key files: not a failsafe repository"));
  std::string what = credentials.key_file ? "key file " + *credentials.key_file : "password";
  if (tried == 0)
    return Err(Unauthenticated(backend.Location() + " has no key that opens with a " +
                               (credentials.key_file ? "key file" : "password") + " (" +
                               std::to_string(keys.size()) + " keys of the other kind)"));
  std::string msg = "wrong " + what + ": none of the " + std::to_string(tried) +
                    " matching keys of " + backend.Location() + " opens with it";
  if (unreadable > 0) msg += " (" + std::to_string(unreadable) + " key files are unreadable)";
  return Err(Unauthenticated(msg));
}

Result<Id> SaveNewKey(Backend& backend, const crypto::MasterKey& master, const NewKey& key,
                      const crypto::KeyMeta& meta) {
  Result<crypto::KeyFile> wrapped;
  if (key.password && key.new_key_file)
    return Err(InvalidArgument("a new key is a password or a key file, not both"));
  if (key.password) {
    if (key.password->empty()) return Err(InvalidArgument("the password is empty"));
    wrapped = crypto::WrapWithPassword(master, *key.password, key.argon2_opslimit,
                                       key.argon2_memlimit, meta);
  } else if (key.new_key_file) {
    FS_ASSIGN_OR_RETURN(std::string secret, CreateKeyFileSecret(*key.new_key_file));
    wrapped = crypto::WrapWithKeyFileSecret(master, secret, meta);
  } else {
    return Err(InvalidArgument("a new key needs a password or --new-key-file"));
  }
  if (!wrapped) return Err(wrapped.error());
  std::string text = crypto::EncodeKeyFile(*wrapped);
  Id id = Id::FromBytes(crypto::Sha256(text).data());
  FS_RETURN_IF_ERROR(backend.Save(FileType::kKey, id.Hex(), text));
  return id;
}

Result<std::vector<KeyEntry>> ListKeyEntries(Backend& backend, const Id& current) {
  size_t unreadable = 0;
  FS_ASSIGN_OR_RETURN(auto keys, LoadKeys(backend, &unreadable));
  std::vector<KeyEntry> out;
  for (const StoredKey& k : keys)
    out.push_back({k.id, k.key.kind, k.key.created, k.key.host, k.key.user, k.id == current});
  return out;
}

Status RemoveKeyFile(Backend& backend, const Id& id, const Id& current) {
  if (id == current)
    return FailedPrecondition("key " + id.Hex() +
                              " is the one this command opened the repository with; open with "
                              "another key to remove it");
  FS_ASSIGN_OR_RETURN_STATUS(auto files, backend.List(FileType::kKey));
  bool exists = false;
  for (const FileInfo& f : files) exists = exists || f.name == id.Hex();
  if (!exists) return NotFound("no key " + id.Hex() + " in " + backend.Location());
  if (files.size() <= 1)
    return FailedPrecondition("key " + id.Hex() +
                              " is the last key: removing it would lose "
                              "the repository");
  return backend.Remove(FileType::kKey, id.Hex());
}

}  // namespace failsafe::backup
