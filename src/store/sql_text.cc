// Text rewrites on SQL and URLs: placeholder numbering for PostgreSQL, password redaction.
#include "store/sql_text.h"

#include <cctype>

#include "store/store.h"

namespace failsafe::store {

namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Length of a dollar-quote tag ("$$", "$body$") starting at sql[i], or 0 if none starts there.
size_t DollarTagLength(std::string_view sql, size_t i) {
  if (i > 0 && IsIdentChar(sql[i - 1])) return 0;  // part of an identifier like a$b
  size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return 0;  // $1
  while (j < sql.size() && IsIdentChar(sql[j])) ++j;
  if (j < sql.size() && sql[j] == '$') return j - i + 1;
  return 0;
}

}  // namespace

std::string RewritePlaceholdersForPostgres(std::string_view sql) {
  int count = 0;
  return RewritePlaceholders(sql, &count);
}

std::string RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      // E'...' strings treat backslash as an escape; '' and "" double the quote either way.
      bool backslash_escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                               (i < 2 || !IsIdentChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < sql.size() && sql[j] != c) {
        if (backslash_escapes && sql[j] == '\\') ++j;
        ++j;
      }
      j = std::min(j + 1, sql.size());
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? sql.size() : j;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      int depth = 0;  // PostgreSQL block comments nest
      size_t j = i;
      do {
        if (sql.compare(j, 2, "/*") == 0) {
          ++depth;
          j += 2;
        } else if (sql.compare(j, 2, "*/") == 0) {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      } while (depth > 0 && j < sql.size());
      j = std::min(j, sql.size());
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (size_t tag = c == '$' ? DollarTagLength(sql, i) : 0; tag > 0) {
      size_t end = sql.find(sql.substr(i, tag), i + tag);
      size_t j = end == std::string_view::npos ? sql.size() : end + tag;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  *count = n;
  return out;
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // user:password@ in a URI authority; the last '@' before the query wins because a password
  // may itself contain '@' or '/' when not percent-encoded.
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t query = out.find('?', start);
    size_t at = out.rfind('@', query == std::string::npos ? std::string::npos : query);
    if (at != std::string::npos && at > start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
  }
  // password=... in a query string or keyword/value connection string.
  for (size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
    if (pos > 0 && IsIdentChar(out[pos - 1])) {
      pos += 9;
      continue;
    }
    size_t value = pos + 9;
    size_t end = out.find_first_of("& ", value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
    pos = value + 3;
  }
  return out;
}

}  // namespace failsafe::store
