// ForwardingBackend: every call reaches the backend behind it, LoadInto as that backend does
// it, and a wrapper that overrides one call changes only that one.
#include "backup/backend/forwarding_backend.h"

#include <gtest/gtest.h>

#include "backup/backend/local_backend.h"
#include "backup/backend/mem_backend.h"
#include "backup/backend/scratch_dir.h"

namespace failsafe::backup {
namespace {

const std::string kPack = "c3" + std::string(62, '0');

TEST(ForwardingBackendTest, EveryCallReachesTheBackendBehind) {
  MemBackend mem("mem://behind", MediaKind::kObjectStorage);
  ForwardingBackend view(mem);
  EXPECT_EQ(view.Location(), "mem://behind");
  EXPECT_EQ(view.Media(), MediaKind::kObjectStorage);
  ASSERT_TRUE(view.Create().ok());
  ASSERT_TRUE(view.Save(FileType::kConfig, "config", "cfg").ok());
  EXPECT_EQ(view.Create().code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(view.Save(FileType::kPack, kPack, "0123456789").ok());
  EXPECT_EQ(*mem.Load(FileType::kPack, kPack), "0123456789");
  EXPECT_EQ(*view.Load(FileType::kPack, kPack, 2, 3), "234");
  std::string whole;
  ASSERT_TRUE(view.LoadInto(FileType::kPack, kPack, &whole).ok());
  EXPECT_EQ(whole, "0123456789");
  EXPECT_EQ(view.Stat(FileType::kPack, kPack)->size, 10u);
  ASSERT_EQ(view.List(FileType::kPack)->size(), 1u);
  ASSERT_TRUE(view.Remove(FileType::kPack, kPack).ok());
  EXPECT_EQ(mem.Stat(FileType::kPack, kPack).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(mem.saves(), 2u);
}

// LoadInto goes to the backend's own LoadInto, not Backend's Load-and-move default: through
// the wrapper, LocalBackend still reads into the caller's buffer.
TEST(ForwardingBackendTest, LoadIntoKeepsTheBackendsBufferReuse) {
  testing::ScratchDir scratch;
  ForwardingBackend b(std::make_unique<LocalBackend>(scratch.path() + "/repo"));
  ASSERT_TRUE(b.Create().ok());
  const std::string big(1 << 20, 'b');
  const std::string small = "c4" + std::string(62, '1');
  ASSERT_TRUE(b.Save(FileType::kPack, kPack, big).ok());
  ASSERT_TRUE(b.Save(FileType::kPack, small, "small").ok());
  std::string buffer;
  ASSERT_TRUE(b.LoadInto(FileType::kPack, kPack, &buffer).ok());
  const char* storage = buffer.data();
  ASSERT_TRUE(b.LoadInto(FileType::kPack, small, &buffer).ok());
  EXPECT_EQ(buffer, "small");
  EXPECT_EQ(buffer.data(), storage);
}

class RefusingRemove final : public ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  Status Remove(FileType, const std::string& name) override {
    return PermissionDenied("this key may not delete " + name);
  }
};

TEST(ForwardingBackendTest, AWrapperChangesOnlyWhatItOverrides) {
  MemBackend mem;
  RefusingRemove b(mem);
  ASSERT_TRUE(b.Save(FileType::kLock, "l1", "lock").ok());
  EXPECT_EQ(b.Remove(FileType::kLock, "l1").code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(*b.Load(FileType::kLock, "l1"), "lock");
  EXPECT_TRUE(mem.Stat(FileType::kLock, "l1"));
}

}  // namespace
}  // namespace failsafe::backup
