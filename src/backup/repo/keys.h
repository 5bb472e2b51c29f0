#pragma once
// Key files of a repository (docs/backup-format.md, "Keys"): opening with a password or a
// key file, adding, listing and removing keys.
#include <string>
#include <vector>

#include "backup/backend/backend.h"
#include "backup/crypto/key_file.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct OpenedKey {
  crypto::MasterKey master;
  Id id;
};

// Tries every key file, newest first, until one unwraps with the credentials.
Result<OpenedKey> OpenWithCredentials(Backend& backend, const Credentials& credentials);

// Reads the secret of the key file at `path`.
Result<std::string> ReadKeyFileSecret(const std::string& path);
// Creates a key file at `path` (mode 0600) holding a new secret; refuses an existing file.
Result<std::string> CreateKeyFileSecret(const std::string& path);

// Wraps `master` as `key` asks and stores it; returns the key file's id.
Result<Id> SaveNewKey(Backend& backend, const crypto::MasterKey& master, const NewKey& key,
                      const crypto::KeyMeta& meta);
Result<std::vector<KeyEntry>> ListKeyEntries(Backend& backend, const Id& current);
Status RemoveKeyFile(Backend& backend, const Id& id, const Id& current);

}  // namespace failsafe::backup
