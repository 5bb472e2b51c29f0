#pragma once
// Little binary encodings of the format (docs/backup-format.md): unsigned LEB128 varints,
// fixed-size ids, bytes. ByteReader is for input a tamperer may control: every read checks
// what is left first, and the first failure becomes a DataLoss naming the object, the field
// and the byte offset.
#include <cstdint>
#include <string>
#include <string_view>

#include "backup/format/ids.h"
#include "base/status.h"

namespace failsafe::backup {

inline void PutU8(std::string* out, uint8_t v) {
  out->push_back(static_cast<char>(v));
}
void PutVarint(std::string* out, uint64_t v);
inline void PutId(std::string* out, const Id& id) {
  out->append(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
}
void PutU32Le(std::string* out, uint32_t v);
uint32_t GetU32Le(const char* p);

class ByteReader {
 public:
  // `what` names the object in errors: "index 3fa1...", "pack 09bc... header".
  ByteReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  bool U8(uint8_t* v, std::string_view field);
  bool Varint(uint64_t* v, std::string_view field);
  // A varint that must fit in 32 bits.
  bool Varint32(uint32_t* v, std::string_view field);
  bool ReadId(Id* id, std::string_view field);
  bool Bytes(size_t n, std::string_view* out, std::string_view field);
  bool Expect(std::string_view literal, std::string_view field);
  // A count of items that follow, each at least `min_item_size` bytes: fails when above
  // `max` or when the rest of the input cannot hold that many, before anything is allocated.
  bool Count(uint64_t* v, uint64_t max, size_t min_item_size, std::string_view field);

  // Records a failure found by the caller (a bad value rather than a short input).
  bool Fail(std::string_view field, std::string_view message);

  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const std::string& what() const { return what_; }

 private:
  std::string_view data_;
  std::string what_;
  size_t pos_ = 0;
  Status status_;
};

}  // namespace failsafe::backup
