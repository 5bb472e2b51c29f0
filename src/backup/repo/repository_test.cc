#include "backup/repo/repository.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "backup/crypto/hash.h"
#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

using namespace repo_testing;

struct Saved {
  BlobType type;
  BlobId id;
  std::string plain;
};

Saved Save(Repository& repo, BlobType type, std::string plain) {
  BlobId id = repo.IdOf(plain);
  auto r = repo.SaveBlob(type, id, plain);
  EXPECT_TRUE(r) << r.error().ToString();
  return {type, id, std::move(plain)};
}

TEST(Repository, InitSaveFlushReopenLoad) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  ASSERT_TRUE(repo);
  std::vector<Saved> saved;
  for (int i = 0; i < 40; ++i)
    saved.push_back(Save(*repo, i % 5 == 0 ? BlobType::kTree : BlobType::kData,
                         i % 2 ? TextBlob(10000 + i, i) : RandomBlob(5000 + i)));
  ASSERT_TRUE(repo->Flush().ok());
  auto snap = repo->SaveSnapshotJson(R"({"version":1})");
  ASSERT_TRUE(snap);
  const RepoConfig config = repo->config();
  repo.reset();

  auto again = OpenRepo(mem);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->config(), config);
  EXPECT_GT(mem.List(FileType::kPack)->size(), 1u);
  EXPECT_EQ(again->BlobCount(BlobType::kData) + again->BlobCount(BlobType::kTree), 40u);
  for (const Saved& s : saved) {
    auto plain = again->LoadBlob(s.type, s.id);
    ASSERT_TRUE(plain) << plain.error().ToString();
    EXPECT_EQ(*plain, s.plain);
    // A blob is found only under its own type.
    EXPECT_FALSE(
        again->HasBlob(s.type == BlobType::kData ? BlobType::kTree : BlobType::kData, s.id));
  }
  EXPECT_EQ(*again->ListSnapshots(), std::vector<Id>{*snap});
  EXPECT_EQ(*again->LoadSnapshotJson(*snap), R"({"version":1})");
  // Saving a known blob again adds nothing.
  auto dup = again->SaveBlob(saved[0].type, saved[0].id, saved[0].plain);
  ASSERT_TRUE(dup);
  EXPECT_FALSE(dup->added);
  // The gear table is stable across opens and differs between repositories.
  MemBackend other;
  EXPECT_NE(InitRepo(other)->GearTable(), again->GearTable());
}

TEST(Repository, WrongPasswordAndNotARepository) {
  MemBackend mem;
  ASSERT_TRUE(InitRepo(mem));
  auto wrong = Repository::Open(mem.NewView(), Password("not it"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(Contains(wrong.error(), "wrong password")) << wrong.error().ToString();
  EXPECT_FALSE(Repository::Open(mem.NewView(), Credentials{}));

  MemBackend empty("mem://empty");
  auto none = Repository::Open(empty.NewView(), Password("x"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Contains(none.error(), "mem://empty is not a failsafe repository"));
  // Init refuses a location that already has a repository.
  EXPECT_FALSE(Repository::Init(mem.NewView(), Password("secret"), FastInit()));
}

TEST(Repository, TamperedConfigIsDataLoss) {
  MemBackend mem;
  ASSERT_TRUE(InitRepo(mem));
  mem.Tamper(FileType::kConfig, "config", [](std::string& s) { s[s.size() / 2] ^= 1; });
  auto r = Repository::Open(mem.NewView(), Password("secret"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(r.error(), "config")) << r.error().ToString();
}

TEST(Repository, TamperedBlobIsDataLossNamingBlobAndPack) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  Saved s = Save(*repo, BlobType::kData, TextBlob(5000, 1));
  ASSERT_TRUE(repo->Flush().ok());
  auto loc = repo->Lookup(BlobType::kData, s.id);
  ASSERT_TRUE(loc);
  mem.Tamper(FileType::kPack, loc->pack.Hex(),
             [&](std::string& p) { p[loc->offset + 40] ^= 0x40; });
  auto r = repo->LoadBlob(BlobType::kData, s.id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(r.error(), s.id.Hex())) << r.error().ToString();
  EXPECT_TRUE(Contains(r.error(), loc->pack.Hex())) << r.error().ToString();
}

TEST(Repository, BlobMovedToAnotherIdOrTypeFailsAuthentication) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  Saved a = Save(*repo, BlobType::kData, "blob a content");
  Saved b = Save(*repo, BlobType::kData, "blob b content");
  ASSERT_TRUE(repo->Flush().ok());
  auto loc = *repo->Lookup(BlobType::kData, a.id);
  auto stored = *mem.Load(FileType::kPack, loc.pack.Hex(), loc.offset, loc.stored_length);
  ASSERT_TRUE(repo->DecryptBlob(BlobType::kData, a.id, stored));
  auto moved = repo->DecryptBlob(BlobType::kData, b.id, stored, loc.compressed);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(moved.error(), "authentication failed"));
  EXPECT_FALSE(repo->DecryptBlob(BlobType::kTree, a.id, stored, loc.compressed));
}

TEST(Repository, TamperedHeaderAndForeignPack) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  Save(*repo, BlobType::kData, TextBlob(3000, 2));
  ASSERT_TRUE(repo->Flush().ok());
  auto packs = *repo->ListPacks();
  ASSERT_EQ(packs.size(), 1u);
  const Id pack = *Id::FromHex(packs[0].name);
  auto header = repo->LoadPackHeader(pack);
  ASSERT_TRUE(header) << header.error().ToString();
  EXPECT_EQ(header->size(), 1u);
  auto whole = repo->LoadPack(pack);
  ASSERT_TRUE(whole);
  EXPECT_EQ(*repo->DecodePackBytes(pack, *whole), *header);

  mem.Tamper(FileType::kPack, pack.Hex(), [](std::string& p) { p[p.size() - 20] ^= 1; });
  auto bad = repo->LoadPackHeader(pack);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(bad.error(), "pack " + pack.Hex() + " header")) << bad.error().ToString();

  Id foreign;
  foreign.bytes.fill(0x77);
  mem.Put(FileType::kPack, foreign.Hex(), std::string(4096, 'A'));
  auto f = repo->LoadPackHeader(foreign);
  ASSERT_FALSE(f);
  EXPECT_TRUE(Contains(f.error(), "not a failsafe pack")) << f.error().ToString();
}

TEST(Repository, TamperedIndexIsDataLossNamingIt) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  Save(*repo, BlobType::kData, TextBlob(3000, 3));
  ASSERT_TRUE(repo->Flush().ok());
  auto files = *mem.List(FileType::kIndex);
  ASSERT_EQ(files.size(), 1u);
  std::string sealed = *mem.Load(FileType::kIndex, files[0].name);

  // Bit rot: the content no longer matches the name.
  mem.Tamper(FileType::kIndex, files[0].name, [](std::string& s) { s[30] ^= 2; });
  auto reopened = Repository::Open(mem.NewView(), Password("secret"));
  ASSERT_TRUE(reopened);
  Status s = (*reopened)->LoadIndex();
  EXPECT_EQ(s.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(s, "index " + files[0].name)) << s.ToString();

  // A tamperer who also renames the file: authentication fails, naming the new name.
  ASSERT_TRUE(mem.Remove(FileType::kIndex, files[0].name).ok());
  sealed[30] ^= 2;
  auto renamed = Id::FromBytes(crypto::Sha256(sealed).data());
  mem.Put(FileType::kIndex, renamed.Hex(), sealed);
  s = (*reopened)->LoadIndex();
  EXPECT_EQ(s.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(s, "index " + renamed.Hex() + ": authentication failed")) << s.ToString();
}

TEST(Repository, ConcurrentSaveBlobStoresEachBlobOnce) {
  MemBackend mem;
  RepoOptions ro;
  ro.pack_writers = 2;
  auto repo = InitRepo(mem, FastInit(16 * 1024), ro);
  std::vector<std::string> blobs;
  for (int i = 0; i < 300; ++i)
    blobs.push_back(i % 3 ? TextBlob(2000 + i, i) : RandomBlob(1500 + i));
  std::atomic<int> added{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t k = 0; k < blobs.size(); ++k) {
        const std::string& b = blobs[(k * 7 + static_cast<size_t>(t) * 31) % blobs.size()];
        auto r = repo->SaveBlob(BlobType::kData, repo->IdOf(b), b);
        if (r && r->added) ++added;
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(repo->Flush().ok());
  EXPECT_EQ(added.load(), 300);
  EXPECT_EQ(repo->BlobCount(BlobType::kData), 300u);
  // The packs on storage hold exactly 300 blobs: none twice.
  size_t stored = 0;
  std::set<Id> ids;
  const auto packs = *repo->ListPacks();
  for (const FileInfo& f : packs) {
    auto header = repo->LoadPackHeader(*Id::FromHex(f.name));
    ASSERT_TRUE(header) << header.error().ToString();
    stored += header->size();
    for (const PackBlob& b : *header) ids.insert(b.id);
  }
  EXPECT_EQ(stored, 300u);
  EXPECT_EQ(ids.size(), 300u);
  auto again = OpenRepo(mem);
  for (const std::string& b : blobs)
    ASSERT_EQ(*again->LoadBlob(BlobType::kData, again->IdOf(b)), b);
}

TEST(Repository, CompressionSkippedForRandomUsedForText) {
  MemBackend mem;
  auto repo = InitRepo(mem, FastInit(1 << 20));
  std::string random = RandomBlob(200 * 1024);
  std::string text = TextBlob(200 * 1024, 4);
  auto r = repo->SaveBlob(BlobType::kData, repo->IdOf(random), random);
  auto t = repo->SaveBlob(BlobType::kData, repo->IdOf(text), text);
  ASSERT_TRUE(r && t);
  EXPECT_EQ(r->stored_bytes, random.size() + 28);
  EXPECT_LT(t->stored_bytes, text.size() / 4);
  ASSERT_TRUE(repo->Flush().ok());
  EXPECT_FALSE(repo->Lookup(BlobType::kData, repo->IdOf(random))->compressed);
  EXPECT_TRUE(repo->Lookup(BlobType::kData, repo->IdOf(text))->compressed);
  EXPECT_EQ(*repo->LoadBlob(BlobType::kData, repo->IdOf(text)), text);

  // compression_level 0 stores everything as is.
  MemBackend off;
  InitOptions o = FastInit();
  o.config.compression_level = 0;
  auto plain = InitRepo(off, o);
  auto p = plain->SaveBlob(BlobType::kData, plain->IdOf(text), text);
  EXPECT_EQ(p->stored_bytes, text.size() + 28);
}

TEST(Repository, IndexFileEveryNPacksAndOnFlush) {
  MemBackend mem;
  RepoOptions ro;
  ro.index_every_packs = 2;
  auto repo = InitRepo(mem, FastInit(4096), ro);
  for (int i = 0; i < 9; ++i) Save(*repo, BlobType::kData, RandomBlob(5000));
  // Nine full packs are handed to the saver as they fill; wait for them via Flush.
  ASSERT_TRUE(repo->Flush().ok());
  EXPECT_EQ(mem.List(FileType::kPack)->size(), 9u);
  EXPECT_EQ(mem.List(FileType::kIndex)->size(), 5u);  // 4 of two packs, 1 at Flush
  auto again = OpenRepo(mem);
  EXPECT_EQ(again->BlobCount(BlobType::kData), 9u);
}

TEST(Repository, SupersededIndexFilesAreIgnored) {
  MemBackend mem;
  auto repo = InitRepo(mem, FastInit(4096));
  Saved a = Save(*repo, BlobType::kData, RandomBlob(5000));
  ASSERT_TRUE(repo->Flush().ok());
  Saved b = Save(*repo, BlobType::kData, RandomBlob(5000));
  ASSERT_TRUE(repo->Flush().ok());
  auto files = *repo->ListIndexFiles();
  ASSERT_EQ(files.size(), 2u);
  // What prune writes: one index keeping only a's pack, superseding both old files.
  IndexFile keep;
  for (const FileInfo& f : files) {
    keep.supersedes.push_back(*Id::FromHex(f.name));
    const IndexFile old = *repo->LoadIndexFile(*Id::FromHex(f.name));
    for (const IndexPack& p : old.packs)
      if (p.blobs[0].id == a.id) keep.packs.push_back(p);
  }
  ASSERT_EQ(keep.packs.size(), 1u);
  auto id = repo->SaveIndexFile(keep);
  ASSERT_TRUE(id);
  EXPECT_EQ(*repo->LoadIndexFile(*id), keep);
  auto again = OpenRepo(mem);
  EXPECT_TRUE(again->HasBlob(BlobType::kData, a.id));
  EXPECT_FALSE(again->HasBlob(BlobType::kData, b.id));
}

TEST(Repository, APackListedByTwoIndexFilesIsLoadedOnce) {
  MemBackend mem;
  auto repo = InitRepo(mem, FastInit(4096));
  Saved a = Save(*repo, BlobType::kData, RandomBlob(5000));
  Saved b = Save(*repo, BlobType::kData, RandomBlob(5000));
  ASSERT_TRUE(repo->Flush().ok());
  auto files = *repo->ListIndexFiles();
  ASSERT_EQ(files.size(), 1u);
  // A second file naming the same packs, each twice: every pack is listed three times.
  const IndexFile first = *repo->LoadIndexFile(*Id::FromHex(files[0].name));
  ASSERT_EQ(first.packs.size(), 2u);
  IndexFile twice;
  twice.packs = first.packs;
  twice.packs.insert(twice.packs.end(), first.packs.begin(), first.packs.end());
  ASSERT_TRUE(repo->SaveIndexFile(twice));
  auto again = OpenRepo(mem);
  EXPECT_EQ(again->BlobCount(BlobType::kData), 2u);
  size_t seen = 0;
  again->ForEachBlob([&](BlobType, const BlobId&, const BlobLocation&) { ++seen; });
  EXPECT_EQ(seen, 2u);
  for (const Saved& s : {a, b}) {
    auto loc = again->Lookup(BlobType::kData, s.id);
    ASSERT_TRUE(loc);
    EXPECT_EQ(*again->LoadBlob(BlobType::kData, s.id), s.plain);
  }
}

TEST(Repository, IndexLoadedWithoutDataLocations) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  Saved data = Save(*repo, BlobType::kData, RandomBlob(5000));
  Saved tree = Save(*repo, BlobType::kTree, TextBlob(3000, 1));
  ASSERT_TRUE(repo->Flush().ok());
  auto opened = Repository::Open(mem.NewView(), Password("secret"));
  ASSERT_TRUE(opened);
  Repository& r = **opened;
  ASSERT_TRUE(r.LoadIndex({}, Repository::IndexDetail::kDataPresence).ok());
  EXPECT_TRUE(r.HasBlob(BlobType::kData, data.id));
  EXPECT_EQ(r.BlobCount(BlobType::kData), 1u);
  EXPECT_FALSE(r.Lookup(BlobType::kData, data.id));
  auto loaded = r.LoadBlob(BlobType::kData, data.id);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::kFailedPrecondition) << loaded.error().ToString();
  EXPECT_EQ(*r.LoadBlob(BlobType::kTree, tree.id), tree.plain);
  // Saving what is indexed stores nothing; something new is stored and indexed.
  EXPECT_FALSE(r.SaveBlob(BlobType::kData, data.id, data.plain)->added);
  const std::string fresh = RandomBlob(4000);
  EXPECT_TRUE(r.SaveBlob(BlobType::kData, r.IdOf(fresh), fresh)->added);
  ASSERT_TRUE(r.Flush().ok());
  auto full = OpenRepo(mem);
  EXPECT_EQ(*full->LoadBlob(BlobType::kData, full->IdOf(fresh)), fresh);
  EXPECT_EQ(full->BlobCount(BlobType::kData), 2u);
}

TEST(Repository, KeyFileCredentials) {
  const std::string path = ::testing::TempDir() + "/fs-repo-test-" + RandomToken(6) + ".key";
  MemBackend mem;
  Credentials kf;
  kf.key_file = path;
  auto repo = Repository::Init(mem.NewView(), kf, FastInit());
  ASSERT_TRUE(repo) << repo.error().ToString();
  auto opened = Repository::Open(mem.NewView(), kf);
  ASSERT_TRUE(opened) << opened.error().ToString();
  EXPECT_EQ((*opened)->config().id, (*repo)->config().id);
  auto pw = Repository::Open(mem.NewView(), Password("secret"));
  ASSERT_FALSE(pw);
  EXPECT_EQ(pw.error().code(), ErrorCode::kUnauthenticated);
  std::remove(path.c_str());
}

TEST(Repository, InitFromRepoSharesIdsNotDataKey) {
  MemBackend src_mem, dst_mem;
  auto src = InitRepo(src_mem);
  InitOptions o = FastInit();
  o.from = src.get();
  auto dst = InitRepo(dst_mem, o);
  EXPECT_EQ(dst->IdOf("same"), src->IdOf("same"));
  EXPECT_EQ(dst->GearTable(), src->GearTable());
  EXPECT_NE(dst->config().id, src->config().id);
  Saved s = Save(*src, BlobType::kData, "shared content");
  ASSERT_TRUE(src->Flush().ok());
  auto loc = *src->Lookup(BlobType::kData, s.id);
  auto stored = *src_mem.Load(FileType::kPack, loc.pack.Hex(), loc.offset, loc.stored_length);
  EXPECT_FALSE(dst->DecryptBlob(BlobType::kData, s.id, stored, loc.compressed));
}

TEST(Repository, RepackMovesABlobToANewPack) {
  MemBackend mem;
  auto repo = InitRepo(mem, FastInit(4096));
  Saved a = Save(*repo, BlobType::kData, RandomBlob(5000));
  Saved b = Save(*repo, BlobType::kData, RandomBlob(5000));
  ASSERT_TRUE(repo->Flush().ok());
  const Id old_pack = repo->Lookup(BlobType::kData, a.id)->pack;
  auto r = repo->RepackBlob(BlobType::kData, a.id, a.plain);
  ASSERT_TRUE(r && r->added);
  EXPECT_FALSE(repo->RepackBlob(BlobType::kData, a.id, a.plain)->added);  // once per run
  ASSERT_TRUE(repo->Flush().ok());
  const Id new_pack = repo->Lookup(BlobType::kData, a.id)->pack;
  EXPECT_NE(new_pack, old_pack);
  EXPECT_EQ(repo->BlobCount(BlobType::kData), 2u);
  // The old pack can go: the blob reads from the new one.
  ASSERT_TRUE(repo->RemovePack(old_pack).ok());
  EXPECT_EQ(*repo->LoadBlob(BlobType::kData, a.id), a.plain);
  EXPECT_EQ(*repo->LoadBlob(BlobType::kData, b.id), b.plain);
}

TEST(Repository, TamperedSnapshotAndMissingPack) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  auto snap = *repo->SaveSnapshotJson(R"({"version":1})");
  mem.Tamper(FileType::kSnapshot, snap.Hex(), [](std::string& s) { s[0] ^= 1; });
  auto r = repo->LoadSnapshotJson(snap);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(r.error(), "snapshot " + snap.Hex())) << r.error().ToString();
  EXPECT_EQ(repo->LoadSnapshotJson(Id{}).error().code(), ErrorCode::kNotFound);

  Saved s = Save(*repo, BlobType::kData, "soon without its pack");
  ASSERT_TRUE(repo->Flush().ok());
  ASSERT_TRUE(repo->RemovePack(repo->Lookup(BlobType::kData, s.id)->pack).ok());
  auto gone = repo->LoadBlob(BlobType::kData, s.id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Contains(gone.error(), s.id.Hex())) << gone.error().ToString();
}

TEST(Repository, LocksThroughTheRepository) {
  MemBackend mem;
  RepoOptions a;
  a.hostname = "backup-01";
  auto repo = InitRepo(mem, FastInit(), a);
  auto exclusive = repo->Lock(true);
  ASSERT_TRUE(exclusive) << exclusive.error().ToString();
  auto other = OpenRepo(mem);
  auto shared = other->Lock(false);
  ASSERT_FALSE(shared);
  EXPECT_EQ(shared.error().code(), ErrorCode::kConflict);
  EXPECT_TRUE(Contains(shared.error(), "exclusive lock held by pid")) << shared.error().ToString();
  EXPECT_TRUE(Contains(shared.error(), "on backup-01")) << shared.error().ToString();
  auto locks = other->ListLocks();
  ASSERT_TRUE(locks);
  ASSERT_EQ(locks->size(), 1u);
  EXPECT_FALSE((*locks)[0].stale);
  EXPECT_EQ(*other->RemoveLocks(false), 0u);  // not stale: kept
  ASSERT_TRUE((*exclusive)->Release().ok());
  EXPECT_TRUE(other->Lock(false));
}

// A backup that stops without Flush (killed) leaves earlier data intact, packs no index
// names (garbage for prune), and the packs of index files already written reusable.
TEST(Repository, StopWithoutFlushLeavesAConsistentRepository) {
  MemBackend mem;
  RepoOptions ro;
  ro.index_every_packs = 2;
  std::vector<Saved> first, second;
  {
    auto repo = InitRepo(mem, FastInit(4096), ro);
    for (int i = 0; i < 3; ++i) first.push_back(Save(*repo, BlobType::kData, RandomBlob(5000)));
    ASSERT_TRUE(repo->Flush().ok());
    for (int i = 0; i < 5; ++i) second.push_back(Save(*repo, BlobType::kData, RandomBlob(5000)));
    // Let the saver finish the full packs it has, as a process would before being killed
    // between index files; then drop everything without Flush.
    for (int i = 0; i < 200 && mem.List(FileType::kPack)->size() < 8; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto again = OpenRepo(mem);
  for (const Saved& s : first) EXPECT_EQ(*again->LoadBlob(s.type, s.id), s.plain);
  size_t resumed = 0;
  for (const Saved& s : second)
    if (again->HasBlob(s.type, s.id)) {
      ++resumed;
      EXPECT_EQ(*again->LoadBlob(s.type, s.id), s.plain);
    }
  const size_t packs = mem.List(FileType::kPack)->size();
  const size_t indexed = again->BlobCount(BlobType::kData);
  EXPECT_EQ(indexed, first.size() + resumed);
  EXPECT_EQ(resumed, 4u);  // two index files of two packs each were written
  EXPECT_EQ(packs, 8u);    // the fifth pack of the run is garbage nobody refers to
}

TEST(Repository, VerifyPackNamesTheDamagedBlob) {
  MemBackend mem;
  auto repo = InitRepo(mem, FastInit(1 << 20));
  Saved a = Save(*repo, BlobType::kData, TextBlob(20000, 5));
  Saved b = Save(*repo, BlobType::kData, RandomBlob(20000));
  ASSERT_TRUE(repo->Flush().ok());
  const Id pack = repo->Lookup(BlobType::kData, a.id)->pack;
  std::string bytes = *repo->LoadPack(pack);
  EXPECT_TRUE(repo->VerifyPack(pack, bytes).empty());

  const auto loc_b = *repo->Lookup(BlobType::kData, b.id);
  bytes[loc_b.offset + 100] ^= 1;
  auto problems = repo->VerifyPack(pack, bytes);
  ASSERT_EQ(problems.size(), 2u);  // the name no longer matches, and blob b fails
  EXPECT_FALSE(problems[0].blob);
  EXPECT_NE(problems[0].message.find("does not match its name"), std::string::npos);
  ASSERT_TRUE(problems[1].blob);
  EXPECT_EQ(*problems[1].blob, b.id);
  EXPECT_NE(problems[1].message.find("pack " + pack.Hex()), std::string::npos)
      << problems[1].message;

  auto foreign = repo->VerifyPack(pack, std::string(100, 'x'));
  ASSERT_EQ(foreign.size(), 2u);
  EXPECT_NE(foreign[1].message.find("not a failsafe pack"), std::string::npos);
}

TEST(Repository, OversizedBlobRefused) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  std::string big(kMaxBlobSize + 1, 'x');
  auto r = repo->SaveBlob(BlobType::kData, repo->IdOf("x"), big);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace failsafe::backup
