#include "backup/crypto/aead.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>
#include <string>

namespace failsafe::backup::crypto {
namespace {

EVP_CIPHER* Aes256Gcm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (cipher == nullptr) std::abort();
  return cipher;
}

// A cipher context per thread and direction that keeps the last key's schedule: sealing a
// chunk under the same data key only sets a new nonce.
struct CipherContext {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  uint64_t serial = 0;
  ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }

  bool Init(const SecretKey& key, const unsigned char* nonce, bool encrypt) {
    const bool rekey = serial != key.serial() || key.serial() == 0;
    const EVP_CIPHER* cipher = rekey ? Aes256Gcm() : nullptr;
    const unsigned char* key_bytes = rekey ? key.data() : nullptr;
    int ok = encrypt ? EVP_EncryptInit_ex2(ctx, cipher, key_bytes, nonce, nullptr)
                     : EVP_DecryptInit_ex2(ctx, cipher, key_bytes, nonce, nullptr);
    serial = ok == 1 ? key.serial() : 0;
    return ok == 1;
  }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// OpenSSL takes int lengths; objects here are capped far below 2 GiB by the format.
bool FitsInt(size_t n) {
  return n <= static_cast<size_t>(INT32_MAX);
}

}  // namespace

void SealTo(const SecretKey& key, std::string_view plaintext, std::string_view aad, char* out) {
  thread_local CipherContext c;
  if (!FitsInt(plaintext.size()) || !FitsInt(aad.size())) std::abort();
  auto* p = reinterpret_cast<unsigned char*>(out);
  randombytes_buf(p, kNonceSize);
  int len = 0;
  int final_len = 0;
  if (!c.Init(key, p, true) ||
      (!aad.empty() &&
       EVP_EncryptUpdate(c.ctx, nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(c.ctx, p + kNonceSize, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(c.ctx, p + kNonceSize + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagSize,
                          p + kNonceSize + plaintext.size()) != 1)
    std::abort();  // AES-GCM encryption cannot fail on valid input
}

void SealAppend(const SecretKey& key, std::string_view plaintext, std::string_view aad,
                std::string* out) {
  const size_t start = out->size();
  out->resize(start + kSealOverhead + plaintext.size());
  SealTo(key, plaintext, aad, out->data() + start);
}

Status Open(const SecretKey& key, std::string_view sealed, std::string_view aad, std::string* out,
            std::string_view what) {
  thread_local CipherContext c;
  if (sealed.size() < kSealOverhead)
    return DataLoss(std::string(what) + ": " + std::to_string(sealed.size()) +
                    " bytes is too short to be an encrypted object (at least " +
                    std::to_string(kSealOverhead) + ")");
  if (!FitsInt(sealed.size()) || !FitsInt(aad.size()))
    return DataLoss(std::string(what) + ": too large to be an encrypted object");
  const auto* p = Bytes(sealed);
  const size_t ct_len = sealed.size() - kSealOverhead;
  out->resize(ct_len);
  auto* dst = reinterpret_cast<unsigned char*>(out->data());
  int len = 0;
  int final_len = 0;
  bool ok = c.Init(key, p, false) &&
            (aad.empty() || EVP_DecryptUpdate(c.ctx, nullptr, &len, Bytes(aad),
                                              static_cast<int>(aad.size())) == 1) &&
            EVP_DecryptUpdate(c.ctx, dst, &len, p + kNonceSize, static_cast<int>(ct_len)) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagSize,
                                const_cast<unsigned char*>(p + kNonceSize + ct_len)) == 1 &&
            EVP_DecryptFinal_ex(c.ctx, dst + len, &final_len) == 1;
  if (!ok) {
    out->clear();
    return DataLoss(std::string(what) +
                    ": authentication failed (damaged, tampered with, moved, or not written "
                    "by this repository)");
  }
  return Status::Ok();
}

}  // namespace failsafe::backup::crypto
