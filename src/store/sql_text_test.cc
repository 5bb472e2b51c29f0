#include <gtest/gtest.h>

#include "store/store.h"

namespace failsafe::store {
namespace {

TEST(RewritePlaceholdersTest, NumbersPlaceholdersInOrder) {
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT 1"), "SELECT 1");
  EXPECT_EQ(RewritePlaceholdersForPostgres(""), "");
}

TEST(RewritePlaceholdersTest, SkipsStringsAndIdentifiers) {
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT 'a?b', \"c?\" FROM t WHERE x = ?"),
            "SELECT 'a?b', \"c?\" FROM t WHERE x = $1");
  // Doubled quotes stay inside the literal.
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT \"a\"\"?\", ?"), "SELECT \"a\"\"?\", $1");
  // E-strings escape with backslashes.
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT E'\\'?', ?"), "SELECT E'\\'?', $1");
  // A plain string ending in a backslash is not an escape.
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT 'x\\', ?"), "SELECT 'x\\', $1");
}

TEST(RewritePlaceholdersTest, SkipsCommentsAndDollarQuotes) {
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT /* ? /* ? */ ? */ ?"),
            "SELECT /* ? /* ? */ ? */ $1");
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT $$a?b$$, $tag$ ? $$ ? $tag$, ?"),
            "SELECT $$a?b$$, $tag$ ? $$ ? $tag$, $1");
}

TEST(RewritePlaceholdersTest, UnterminatedQuotesDoNotCrash) {
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT ?, 'open ?"), "SELECT $1, 'open ?");
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT ? /* open"), "SELECT $1 /* open");
  EXPECT_EQ(RewritePlaceholdersForPostgres("SELECT $x$ ?"), "SELECT $x$ ?");
  EXPECT_EQ(RewritePlaceholdersForPostgres("'"), "'");
}

TEST(RedactUrlTest, RemovesPasswords) {
  EXPECT_EQ(RedactUrl("postgresql://failsafe:s3cret@db.example:5432/failsafe"),
            "postgresql://failsafe@db.example:5432/failsafe");
  EXPECT_EQ(RedactUrl("postgres://u:p@ss/w@host/db"), "postgres://u@host/db");
  EXPECT_EQ(RedactUrl("postgresql://u@host/db?password=hunter2&sslmode=require"),
            "postgresql://u@host/db?password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("host=h password=hunter2 dbname=x"), "host=h password=*** dbname=x");
}

TEST(RedactUrlTest, LeavesUrlsWithoutPasswordsAlone) {
  EXPECT_EQ(RedactUrl("postgresql://u@host:5432/db"), "postgresql://u@host:5432/db");
  EXPECT_EQ(RedactUrl("postgresql://host/db"), "postgresql://host/db");
  EXPECT_EQ(RedactUrl("postgresql://host:5432/db"), "postgresql://host:5432/db");
  EXPECT_EQ(RedactUrl("sqlite:/var/lib/failsafe/failsafe.db"),
            "sqlite:/var/lib/failsafe/failsafe.db");
}

}  // namespace
}  // namespace failsafe::store
