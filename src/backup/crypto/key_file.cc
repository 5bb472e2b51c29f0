#include "backup/crypto/key_file.h"

#include <sodium.h>

#include "backup/crypto/aead.h"
#include "backup/crypto/kdf.h"
#include "base/encoding.h"
#include "base/json.h"
#include "base/random.h"

namespace failsafe::backup::crypto {
namespace {

constexpr std::string_view kArgon2id = "argon2id";
constexpr std::string_view kHkdf = "hkdf-sha256";
constexpr std::string_view kKeyFileInfo = "fs/keyfile/1";
constexpr size_t kHkdfSaltSize = 16;

void AppendU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// "fs/key/1" || name length (u8) || name || opslimit (u64 LE) || memlimit (u64 LE) || salt:
// changing any stored KDF parameter makes the unwrap fail instead of weakening the KDF.
std::string WrapAad(const KdfParams& kdf) {
  std::string aad = "fs/key/1";
  aad.push_back(static_cast<char>(kdf.name.size()));
  aad += kdf.name;
  AppendU64(&aad, kdf.opslimit);
  AppendU64(&aad, kdf.memlimit);
  aad += kdf.salt;
  return aad;
}

KeyFile Wrap(const MasterKey& master, const SecretKey& kek, std::string_view kind, KdfParams kdf,
             const KeyMeta& meta) {
  KeyFile key;
  key.kind = std::string(kind);
  key.created = meta.created;
  key.host = meta.host;
  key.user = meta.user;
  key.kdf = std::move(kdf);
  std::string plain = master.Serialize();
  key.master = Seal(kek, plain, WrapAad(key.kdf));
  sodium_memzero(plain.data(), plain.size());
  return key;
}

Result<SecretKey> DeriveKek(const KeyFile& key, const std::string* password,
                            const std::string* key_file_secret, std::string_view name) {
  if (key.kind == kKindPassword) {
    if (password == nullptr)
      return Err(FailedPrecondition("key " + std::string(name) + " needs a password"));
    return Argon2id(*password, key.kdf.salt, key.kdf.opslimit, key.kdf.memlimit);
  }
  if (key_file_secret == nullptr)
    return Err(FailedPrecondition("key " + std::string(name) + " needs a key file"));
  return HkdfSha256(*key_file_secret, key.kdf.salt, kKeyFileInfo);
}

}  // namespace

std::string EncodeKeyFile(const KeyFile& key) {
  std::string out;
  json::Writer w(out);
  w.BeginObject();
  w.Field("version", int64_t{key.version});
  w.Field("kind", key.kind);
  w.Field("created", key.created);
  w.Field("host", key.host);
  w.Field("user", key.user);
  w.Key("kdf");
  w.BeginObject();
  w.Field("name", key.kdf.name);
  w.Field("opslimit", static_cast<int64_t>(key.kdf.opslimit));
  w.Field("memlimit", static_cast<int64_t>(key.kdf.memlimit));
  w.Field("salt", Base64Encode(key.kdf.salt));
  w.EndObject();
  w.Field("master", Base64Encode(key.master));
  w.EndObject();
  out += '\n';
  return out;
}

Result<KeyFile> DecodeKeyFile(std::string_view text, std::string_view name) {
  const std::string what = "key " + std::string(name);
  auto parsed = json::ParseObject(text);
  if (!parsed) return Err(parsed.error().WithContext(what));
  json::ObjectReader r(*parsed);
  KeyFile key;
  int64_t version = r.RequiredInt("version");
  key.kind = r.RequiredString("kind", 16);
  key.created = r.OptionalString("created", 64).value_or("");
  key.host = r.OptionalString("host", 256).value_or("");
  key.user = r.OptionalString("user", 256).value_or("");
  std::string master_b64 = r.RequiredString("master", 256);
  const json::bj::object* kdf_obj = r.OptionalObject("kdf");
  if (kdf_obj == nullptr) r.Fail("kdf", "field 'kdf' is required");
  FS_RETURN_IF_ERROR(r.Finish().WithContext(what));
  if (version != 1)
    return Err(InvalidArgument(what + ": version " + std::to_string(version) +
                                   " is not supported (this program reads version 1)",
                               "version"));
  if (key.kind != kKindPassword && key.kind != kKindKeyFile)
    return Err(
        InvalidArgument(what + ": kind '" + key.kind + "' is not password or keyfile", "kind"));
  json::ObjectReader k(*kdf_obj, "kdf");
  key.kdf.name = k.RequiredString("name", 32);
  int64_t ops = k.RequiredInt("opslimit");
  int64_t mem = k.RequiredInt("memlimit");
  std::string salt_b64 = k.RequiredString("salt", 128);
  FS_RETURN_IF_ERROR(k.Finish().WithContext(what));
  const bool password = key.kind == kKindPassword;
  if (key.kdf.name != (password ? kArgon2id : kHkdf))
    return Err(InvalidArgument(
        what + ": kdf '" + key.kdf.name + "' does not match kind '" + key.kind + "'", "kdf.name"));
  if (password && (ops < 1 || static_cast<uint64_t>(ops) > kArgon2MaxOpslimit))
    return Err(InvalidArgument(what + ": opslimit " + std::to_string(ops) + " is out of bounds",
                               "kdf.opslimit"));
  if (password && (mem < 8192 || static_cast<uint64_t>(mem) > kArgon2MaxMemlimit))
    return Err(InvalidArgument(what + ": memlimit " + std::to_string(mem) + " is out of bounds",
                               "kdf.memlimit"));
  if (!password && (ops != 0 || mem != 0))
    return Err(
        InvalidArgument(what + ": a keyfile key has no opslimit or memlimit", "kdf.opslimit"));
  key.kdf.opslimit = static_cast<uint64_t>(ops);
  key.kdf.memlimit = static_cast<uint64_t>(mem);
  auto salt = Base64Decode(salt_b64);
  if (!salt || salt->size() != (password ? kArgon2SaltSize : kHkdfSaltSize))
    return Err(InvalidArgument(what + ": salt is not 16 bytes of base64", "kdf.salt"));
  key.kdf.salt = std::move(*salt);
  auto master = Base64Decode(master_b64);
  if (!master || master->size() != MasterKey::kSize + kSealOverhead)
    return Err(InvalidArgument(what + ": master is not a wrapped master key (" +
                                   std::to_string(MasterKey::kSize + kSealOverhead) +
                                   " bytes of base64)",
                               "master"));
  key.master = std::move(*master);
  return key;
}

Result<KeyFile> WrapWithPassword(const MasterKey& master, std::string_view password,
                                 uint64_t opslimit, uint64_t memlimit, const KeyMeta& meta) {
  KdfParams kdf{std::string(kArgon2id), opslimit, memlimit, RandomBytes(kArgon2SaltSize)};
  FS_ASSIGN_OR_RETURN(SecretKey kek, Argon2id(password, kdf.salt, opslimit, memlimit));
  return Wrap(master, kek, kKindPassword, std::move(kdf), meta);
}

Result<KeyFile> WrapWithKeyFileSecret(const MasterKey& master, std::string_view secret,
                                      const KeyMeta& meta) {
  if (secret.size() != kKeyFileSecretSize)
    return Err(InvalidArgument("a key file secret is 32 bytes"));
  KdfParams kdf{std::string(kHkdf), 0, 0, RandomBytes(kHkdfSaltSize)};
  FS_ASSIGN_OR_RETURN(SecretKey kek, HkdfSha256(secret, kdf.salt, kKeyFileInfo));
  return Wrap(master, kek, kKindKeyFile, std::move(kdf), meta);
}

Result<MasterKey> Unwrap(const KeyFile& key, const std::string* password,
                         const std::string* key_file_secret, std::string_view name) {
  FS_ASSIGN_OR_RETURN(SecretKey kek, DeriveKek(key, password, key_file_secret, name));
  std::string plain;
  Status opened = Open(kek, key.master, WrapAad(key.kdf), &plain, "key");
  if (!opened.ok())
    return Err(Unauthenticated("key " + std::string(name) + " does not open with this " +
                               (key.kind == kKindPassword ? "password" : "key file") +
                               " (wrong secret, or the key file was altered)"));
  auto master = MasterKey::Parse(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!master) return Err(DataLoss("key " + std::string(name) + ": wrapped key has wrong size"));
  return std::move(*master);
}

std::string NewKeyFileSecret() {
  return RandomBytes(kKeyFileSecretSize);
}

std::string KeyFileSecretText(std::string_view secret) {
  return Base64Encode(secret) + "\n";
}

Result<std::string> ParseKeyFileSecret(std::string_view text, std::string_view path) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  auto secret = Base64Decode(text);
  if (!secret || secret->size() != kKeyFileSecretSize)
    return Err(InvalidArgument("key file " + std::string(path) +
                               " is not a failsafe key file (32 bytes of base64 expected)"));
  return std::move(*secret);
}

}  // namespace failsafe::backup::crypto
