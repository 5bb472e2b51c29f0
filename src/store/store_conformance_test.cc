// The contract of store.h, checked once and run against both engines.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <thread>

#include "base/metrics.h"
#include "store/engine_fixture.h"
#include "store/migrations.h"

namespace failsafe::store {
namespace {

constexpr char kItems[] =
    "CREATE TABLE items (id {{id}}, name TEXT NOT NULL UNIQUE, n {{int}}, score {{real}}, "
    "data {{blob}}, note TEXT)";
constexpr char kInsert[] =
    "INSERT INTO items (name, n, score, data, note) VALUES (?, ?, ?, ?, ?) RETURNING id";

class StoreConformanceTest : public EngineTest {
 protected:
  void SetUp() override {
    store_ = OpenNew();
    ASSERT_NE(store_, nullptr);
    ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
      auto r = tx.Exec(ExpandDialect(kItems, engine()));
      return r ? Status::Ok() : r.error();
    }));
  }

  Result<int64_t> InsertItem(const std::string& name, Value n = int64_t{0}) {
    int64_t id = 0;
    Status s = store_->Write([&](Tx& tx) -> Status {
      FS_ASSIGN_OR_RETURN_STATUS(id, tx.Insert(kInsert, {name, n, 1.5, Blob{"b"}, nullptr}));
      return Status::Ok();
    });
    if (!s.ok()) return Err(s);
    return id;
  }

  int64_t Count() {
    int64_t count = -1;
    Status s = store_->Read([&](Tx& tx) -> Status {
      FS_ASSIGN_OR_RETURN_STATUS(auto row, tx.QueryOne("SELECT COUNT(*) FROM items"));
      count = row->Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return count;
  }

  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformanceTest, CrudRoundTrip) {
  auto id = InsertItem("alpha", int64_t{7});
  ASSERT_TRUE(id) << id.error().ToString();
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(
        auto row, tx.QueryOne("SELECT id, name, n, score FROM items WHERE id = ?", {*id}));
    EXPECT_TRUE(row.has_value());
    EXPECT_EQ(row->Int(0), *id);
    EXPECT_EQ(row->Text(1), "alpha");
    EXPECT_EQ(row->Int(2), 7);
    EXPECT_DOUBLE_EQ(row->Real(3), 1.5);
    return Status::Ok();
  }));
  ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
    auto changed = tx.Exec("UPDATE items SET n = n + ? WHERE name = ?", {int64_t{3}, "alpha"});
    EXPECT_EQ(changed.value_or(-1), 1);
    auto none = tx.Exec("UPDATE items SET n = 0 WHERE name = ?", {"nobody"});
    EXPECT_EQ(none.value_or(-1), 0);
    return Status::Ok();
  }));
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto row = tx.QueryOne("SELECT n FROM items WHERE id = ?", {*id});
    EXPECT_EQ((*row)->Int(0), 10);
    return Status::Ok();
  }));
  ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.Exec("DELETE FROM items WHERE id = ?", {*id}).value_or(-1), 1);
    return Status::Ok();
  }));
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreConformanceTest, InsertReturnsIncreasingIds) {
  auto a = InsertItem("a"), b = InsertItem("b");
  ASSERT_TRUE(a && b);
  EXPECT_GT(*a, 0);
  EXPECT_GT(*b, *a);
}

TEST_P(StoreConformanceTest, NullsReadAsEmpty) {
  ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
    return StatusOf(tx.Exec("INSERT INTO items (name, n, note) VALUES (?, ?, ?)",
                            {"x", OptionalInt(std::nullopt), OptionalText(std::nullopt)}));
  }));
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto row = tx.QueryOne("SELECT n, note, data FROM items WHERE note IS NULL");
    EXPECT_TRUE(row && row->has_value());
    const Row& r = **row;
    EXPECT_TRUE(r.IsNull(0));
    EXPECT_EQ(r.OptInt(0), std::nullopt);
    EXPECT_EQ(r.Int(0), 0);
    EXPECT_EQ(r.OptText(1), std::nullopt);
    EXPECT_EQ(r.Text(1), "");
    EXPECT_TRUE(r.IsNull(2));
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, BlobsKeepZeroBytes) {
  const std::string bytes("\0\x01\xff\0z\0", 6);
  ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
    FS_RETURN_STATUS_IF_ERROR(
        StatusOf(tx.Exec("INSERT INTO items (name, data) VALUES (?, ?)", {"bin", Blob{bytes}})));
    return StatusOf(tx.Exec("INSERT INTO items (name, data) VALUES (?, ?)", {"empty", Blob{}}));
  }));
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto rows = tx.Query("SELECT name, data FROM items ORDER BY name");
    EXPECT_TRUE(rows);
    EXPECT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[0].Text(0), "bin");
    EXPECT_EQ((*rows)[0].Bytes(1), bytes);
    EXPECT_FALSE((*rows)[1].IsNull(1)) << "an empty blob is not NULL";
    EXPECT_EQ((*rows)[1].Bytes(1), "");
    // Blobs compare by bytes in WHERE clauses too.
    auto hit = tx.QueryOne("SELECT name FROM items WHERE data = ?", {Blob{bytes}});
    EXPECT_TRUE(hit && hit->has_value() && (*hit)->Text(0) == "bin");
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, UnicodeTextRoundTrips) {
  const std::string name = "应急预案-中文-😀";
  ASSERT_TRUE(InsertItem(name));
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto row = tx.QueryOne("SELECT name FROM items WHERE name = ?", {name});
    EXPECT_TRUE(row && row->has_value());
    EXPECT_EQ((*row)->Text(0), name);
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, TextThatPostgresCannotStoreIsRejectedOnBothEngines) {
  Status nul = store_->Write([&](Tx& tx) -> Status {
    return StatusOf(tx.Exec("INSERT INTO items (name) VALUES (?)", {std::string("a\0b", 3)}));
  });
  EXPECT_EQ(nul.code(), ErrorCode::kInvalidArgument) << nul.ToString();
  EXPECT_NE(nul.message().find("parameter 1"), std::string::npos) << nul.message();
  Status bad_utf8 = store_->Write([&](Tx& tx) -> Status {
    return StatusOf(tx.Exec("INSERT INTO items (name) VALUES (?)", {std::string("\xff\xfe")}));
  });
  EXPECT_EQ(bad_utf8.code(), ErrorCode::kInvalidArgument) << bad_utf8.ToString();
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreConformanceTest, NumbersKeepTheirRange) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
    FS_RETURN_STATUS_IF_ERROR(StatusOf(
        tx.Exec("INSERT INTO items (name, n, score) VALUES (?, ?, ?)", {"max", big, 0.1})));
    return StatusOf(
        tx.Exec("INSERT INTO items (name, n, score) VALUES (?, ?, ?)", {"min", small, -2.5e300}));
  }));
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto rows = tx.Query("SELECT n, score FROM items ORDER BY n");
    EXPECT_EQ((*rows)[0].Int(0), small);
    EXPECT_DOUBLE_EQ((*rows)[0].Real(1), -2.5e300);
    EXPECT_EQ((*rows)[1].Int(0), big);
    EXPECT_DOUBLE_EQ((*rows)[1].Real(1), 0.1);
    auto sum = tx.QueryOne("SELECT SUM(score), COUNT(*) FROM items WHERE name = ?", {"max"});
    EXPECT_DOUBLE_EQ((*sum)->Real(0), 0.1);
    EXPECT_EQ((*sum)->Int(1), 1);
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, PlaceholdersSkipQuotedText) {
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto row = tx.QueryOne("SELECT 'is it?' AS \"what?\", ? + 1, ? || 'x'", {int64_t{41}, "y"});
    EXPECT_TRUE(row && row->has_value()) << (row ? "" : row.error().ToString());
    if (!row || !*row) return Status::Ok();
    EXPECT_EQ((*row)->Text(0), "is it?");
    EXPECT_EQ((*row)->Int(1), 42);
    EXPECT_EQ((*row)->Text(2), "yx");
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, WrongParameterCountIsABug) {
  Status s = store_->Read([&](Tx& tx) -> Status {
    return StatusOf(tx.Query("SELECT name FROM items WHERE id = ?", {int64_t{1}, int64_t{2}}));
  });
  EXPECT_EQ(s.code(), ErrorCode::kInternal) << s.ToString();
  EXPECT_NE(s.message().find("placeholders"), std::string::npos) << s.message();
}

TEST_P(StoreConformanceTest, BadSqlIsInternalWithTheEngineMessage) {
  Status s = store_->Read(
      [&](Tx& tx) -> Status { return StatusOf(tx.Query("SELECT nosuchcolumn FROM items")); });
  EXPECT_EQ(s.code(), ErrorCode::kInternal) << s.ToString();
  EXPECT_NE(s.message().find("nosuchcolumn"), std::string::npos) << s.message();
}

TEST_P(StoreConformanceTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(InsertItem("dup"));
  auto again = InsertItem("dup");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists) << again.error().ToString();
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreConformanceTest, OtherConstraintViolationsAreConflicts) {
  ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
    return StatusOf(
        tx.Exec(ExpandDialect("CREATE TABLE tags (id {{id}}, item_id {{int}} NOT NULL "
                              "REFERENCES items(id), label TEXT NOT NULL)",
                              engine())));
  }));
  Status fk = store_->Write([&](Tx& tx) -> Status {
    return StatusOf(
        tx.Exec("INSERT INTO tags (item_id, label) VALUES (?, ?)", {int64_t{999}, "x"}));
  });
  EXPECT_EQ(fk.code(), ErrorCode::kConflict) << fk.ToString();
  Status not_null = store_->Write([&](Tx& tx) -> Status {
    return StatusOf(tx.Exec("INSERT INTO items (name) VALUES (?)", {nullptr}));
  });
  EXPECT_EQ(not_null.code(), ErrorCode::kConflict) << not_null.ToString();
}

TEST_P(StoreConformanceTest, FailedFnRollsBackEverything) {
  Status s = store_->Write([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.Insert(kInsert, {"a", int64_t{1}, 1.0, Blob{}, nullptr}));
    return Conflict("changed my mind");
  });
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreConformanceTest, ExceptionRollsBackAndIsRethrown) {
  EXPECT_THROW(store_->Write([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.Insert(kInsert, {"a", int64_t{1}, 1.0, Blob{}, nullptr}));
    throw std::logic_error("bug");
  }),
               std::logic_error);
  EXPECT_EQ(Count(), 0);
  EXPECT_TRUE(InsertItem("after")) << "the store stays usable after a throw";
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreConformanceTest, FailedStatementAbortsTheTransaction) {
  ASSERT_TRUE(InsertItem("taken"));
  Status s = store_->Write([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.Insert(kInsert, {"fresh", int64_t{1}, 1.0, Blob{}, nullptr}));
    auto dup = tx.Insert(kInsert, {"taken", int64_t{1}, 1.0, Blob{}, nullptr});
    EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
    auto later = tx.Query("SELECT 1");
    EXPECT_FALSE(later);
    if (!later) {
      EXPECT_EQ(later.error().code(), ErrorCode::kFailedPrecondition);
    }
    return Status::Ok();  // swallowing the error does not commit half a transaction
  });
  EXPECT_EQ(s.code(), ErrorCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreConformanceTest, QueryOneRejectsSeveralRows) {
  ASSERT_TRUE(InsertItem("a") && InsertItem("b"));
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    auto none = tx.QueryOne("SELECT id FROM items WHERE name = ?", {"zzz"});
    EXPECT_TRUE(none && !none->has_value());
    auto many = tx.QueryOne("SELECT id FROM items");
    EXPECT_FALSE(many);
    if (!many) {
      EXPECT_EQ(many.error().code(), ErrorCode::kInternal);
    }
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, ReadCannotWrite) {
  Status s = store_->Read(
      [&](Tx& tx) -> Status { return StatusOf(tx.Exec("INSERT INTO items (name) VALUES ('x')")); });
  EXPECT_EQ(s.code(), ErrorCode::kInternal) << s.ToString();
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreConformanceTest, ReadSeesOneSnapshot) {
  ASSERT_TRUE(InsertItem("first"));
  int64_t before = -1, after = -1;
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    before = (*tx.QueryOne("SELECT COUNT(*) FROM items"))->Int(0);
    std::thread writer([&] { EXPECT_TRUE(InsertItem("second")); });
    writer.join();  // committed while this read is open
    after = (*tx.QueryOne("SELECT COUNT(*) FROM items"))->Int(0);
    return Status::Ok();
  }));
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(Count(), 2);
}

TEST_P(StoreConformanceTest, ConcurrentWritersLoseNoUpdate) {
  ASSERT_TRUE(InsertItem("counter", int64_t{0}));
  constexpr int kThreads = 8, kIncrements = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status s = store_->Write([&](Tx& tx) -> Status {
          // Read-modify-write: loses updates unless writers are serialised.
          FS_ASSIGN_OR_RETURN_STATUS(auto row,
                                     tx.QueryOne("SELECT n FROM items WHERE name = 'counter'"));
          return StatusOf(
              tx.Exec("UPDATE items SET n = ? WHERE name = 'counter'", {(*row).Int(0) + 1}));
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
    EXPECT_EQ((*tx.QueryOne("SELECT n FROM items WHERE name = 'counter'"))->Int(0),
              kThreads * kIncrements);
    return Status::Ok();
  }));
}

TEST_P(StoreConformanceTest, ConcurrentReadersAndWriters) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 6; ++t) {  // more readers than pooled connections: they must queue
    readers.emplace_back([&] {
      while (!stop) {
        Status s = store_->Read([&](Tx& tx) -> Status {
          return StatusOf(tx.Query("SELECT id, name FROM items ORDER BY id LIMIT 50"));
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    });
  }
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(InsertItem("r" + std::to_string(i)));
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(Count(), 30);
}

TEST_P(StoreConformanceTest, PingAndDescribe) {
  ASSERT_OK(store_->Ping());
  EXPECT_EQ(store_->engine(), engine());
  EXPECT_TRUE(store_->Describe().starts_with(engine() == Engine::kSqlite ? "sqlite:" : "postgres"))
      << store_->Describe();
}

TEST_P(StoreConformanceTest, MetricsRecordTimingsAndErrors) {
  metrics::Registry registry;
  StoreOptions options;
  options.metrics = &registry;
  auto store = OpenNew(options);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Write(
      [](Tx& tx) { return StatusOf(tx.Exec("CREATE TABLE t (k TEXT PRIMARY KEY)")); }));
  ASSERT_OK(store->Read([](Tx& tx) { return StatusOf(tx.Query("SELECT k FROM t")); }));
  for (int i = 0; i < 2; ++i) {
    (void)store->Write([](Tx& tx) { return StatusOf(tx.Exec("INSERT INTO t VALUES ('x')")); });
  }
  std::string text = registry.RenderText();
  std::string engine_label = std::string("engine=\"") + std::string(EngineName(engine())) + "\"";
  EXPECT_NE(text.find("failsafe_store_seconds_count{" + engine_label + ",kind=\"write\"} 3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("failsafe_store_seconds_count{" + engine_label + ",kind=\"read\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("failsafe_store_errors_total{" + engine_label + ",code=\"already_exists\"} 1"),
      std::string::npos)
      << text;
}

FAILSAFE_INSTANTIATE_ENGINES(StoreConformanceTest);

}  // namespace
}  // namespace failsafe::store
