#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "base/encoding.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

std::string HmacSha1(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &len) == nullptr) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

int64_t TotpStep(int64_t unix_millis) {
  int64_t seconds = unix_millis / 1000;
  if (unix_millis < 0 && unix_millis % 1000 != 0) --seconds;
  return seconds >= 0 ? seconds / kTotpPeriodSeconds
                      : -((-seconds + kTotpPeriodSeconds - 1) / kTotpPeriodSeconds);
}

std::string TotpCode(std::string_view key, int64_t step, int digits) {
  if (digits < 6 || digits > 9) throw std::invalid_argument("TOTP digits must be 6..9");
  std::string counter(8, '\0');
  auto value = static_cast<uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<size_t>(i)] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  const std::string mac = HmacSha1(key, counter);
  const size_t offset = static_cast<unsigned char>(mac[19]) & 0x0F;
  const uint32_t binary =
      (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset]) & 0x7F) << 24) |
      (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
      (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
      static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code, int64_t unix_millis,
                                  int64_t last_used_step) {
  if (code.size() != static_cast<size_t>(kTotpDigits) || !IsDigits(code)) return std::nullopt;
  const int64_t now = TotpStep(unix_millis);
  std::optional<int64_t> matched;
  for (int64_t step = now - 1; step <= now + 1; ++step) {
    // Check every candidate so timing does not reveal which step matched.
    const bool equal = ConstantTimeEquals(TotpCode(key, step), code);
    if (equal && step > last_used_step && !matched) matched = step;
  }
  return matched;
}

std::string NewTotpSecret() {
  return RandomBytes(kTotpSecretBytes);
}

std::string OtpauthUri(std::string_view username, std::string_view secret) {
  return "otpauth://totp/failsafe:" + UrlEncode(username) + "?secret=" + Base32Encode(secret) +
         "&issuer=failsafe";
}

std::vector<std::string> NewRecoveryCodes() {
  std::vector<std::string> codes;
  codes.reserve(kRecoveryCodeCount);
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    std::string text = Base32Encode(RandomBytes(7)).substr(0, 10);  // 50 bits
    for (char& c : text) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    codes.push_back(text.substr(0, 5) + "-" + text.substr(5));
  }
  return codes;
}

std::string HashRecoveryCode(std::string_view code) {
  std::string normal;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    normal += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(normal.data()), normal.size(), digest);
  return HexEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

}  // namespace failsafe::auth
