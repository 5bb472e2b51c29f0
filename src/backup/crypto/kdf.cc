#include "backup/crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sodium.h>

#include <array>
#include <string>

namespace failsafe::backup::crypto {

Result<SecretKey> Argon2id(std::string_view password, std::string_view salt, uint64_t opslimit,
                           uint64_t memlimit) {
  if (salt.size() != crypto_pwhash_SALTBYTES)
    return Err(InvalidArgument(
        "argon2id salt must be " + std::to_string(crypto_pwhash_SALTBYTES) + " bytes", "kdf.salt"));
  if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || opslimit > kArgon2MaxOpslimit)
    return Err(InvalidArgument("argon2id opslimit " + std::to_string(opslimit) + " is outside 1.." +
                                   std::to_string(kArgon2MaxOpslimit),
                               "kdf.opslimit"));
  if (memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || memlimit > kArgon2MaxMemlimit)
    return Err(InvalidArgument(
        "argon2id memlimit " + std::to_string(memlimit) + " is outside 8 KiB..4 GiB",
        "kdf.memlimit"));
  std::array<unsigned char, SecretKey::kSize> out;
  if (crypto_pwhash(out.data(), out.size(), password.data(), password.size(),
                    reinterpret_cast<const unsigned char*>(salt.data()), opslimit,
                    static_cast<size_t>(memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Err(Internal("argon2id: could not allocate " + std::to_string(memlimit >> 20) +
                        " MiB for the password hash"));
  SecretKey key(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
  sodium_memzero(out.data(), out.size());
  return key;
}

Result<SecretKey> HkdfSha256(std::string_view secret, std::string_view salt,
                             std::string_view info) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return Err(Internal("OpenSSL has no HKDF"));
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return Err(Internal("HKDF: out of memory"));
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()), secret.size()),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
                         OSSL_PARAM_construct_end()};
  std::array<unsigned char, SecretKey::kSize> out;
  int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return Err(Internal("HKDF-SHA256 failed"));
  SecretKey key(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
  sodium_memzero(out.data(), out.size());
  return key;
}

}  // namespace failsafe::backup::crypto
