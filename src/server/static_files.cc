#include "server/static_files.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace failsafe::server {
namespace {

namespace fs = std::filesystem;

bool ContainsEncodedSeparator(std::string_view raw) {
  for (size_t i = 0; i + 2 < raw.size(); ++i) {
    if (raw[i] != '%') continue;
    char a = raw[i + 1];
    char b = static_cast<char>(std::tolower(static_cast<unsigned char>(raw[i + 2])));
    if ((a == '2' && b == 'f') || (a == '5' && b == 'c')) return true;
  }
  return false;
}

bool HasExtension(std::string_view segment) {
  return segment.find('.') != std::string_view::npos;
}

Response Rejected() {
  return Response::Error(InvalidArgument("invalid path"));
}
Response Missing(std::string_view path) {
  return Response::Error(NotFound("no such file: " + std::string(path)));
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (!ec && fs::is_directory(canonical, ec) && !ec) {
    root_ = canonical.string();
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  }
}

std::string_view StaticFiles::ContentTypeFor(std::string_view filename) {
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(filename.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"txt", "text/plain; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"wasm", "application/wasm"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"pdf", "application/pdf"},
  };
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  if (root_.empty()) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string& path = request.path;
  if (path == "/api" || path.starts_with("/api/")) return std::nullopt;

  std::string_view raw = request.target;
  raw = raw.substr(0, raw.find('?'));
  if (ContainsEncodedSeparator(raw)) return Rejected();
  if (path.empty() || path.front() != '/' || path.find('\\') != std::string::npos ||
      path.find('\0') != std::string::npos) {
    return Rejected();
  }

  std::vector<std::string_view> segments;
  std::string_view rest = std::string_view(path).substr(1);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty()) continue;
    if (seg == "." || seg == "..") return Rejected();
    if (seg.front() == '.') return Missing(path);  // hidden files are never published
    segments.push_back(seg);
  }

  const bool immutable = segments.size() > 1 && segments.front() == "assets";
  std::string relative;
  for (std::string_view seg : segments) {
    if (!relative.empty()) relative += '/';
    relative += seg;
  }
  if (relative.empty()) relative = "index.html";

  if (auto file = Resolve(relative)) {
    if (auto r = ServeFile(*file, immutable)) return r;
    return Missing(path);
  }
  // Deep links into the SPA have no extension; assets and files do.
  if (!immutable && (segments.empty() || !HasExtension(segments.back()))) {
    if (auto index = Resolve("index.html")) {
      if (auto r = ServeFile(*index, false)) return r;
    }
  }
  return Missing(path);
}

std::optional<std::string> StaticFiles::Resolve(const std::string& relative) const {
  std::error_code ec;
  fs::path canonical = fs::canonical(fs::path(root_) / relative, ec);
  if (ec || !fs::is_regular_file(canonical, ec)) return std::nullopt;
  std::string c = canonical.string();
  if (!c.starts_with(root_ + "/")) return std::nullopt;  // a symlink out of the root
  return c;
}

std::optional<Response> StaticFiles::ServeFile(const std::string& canonical_path,
                                               bool immutable) const {
  std::ifstream in(canonical_path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  Response r = Response::Text(std::move(body), std::string(ContentTypeFor(canonical_path)));
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace failsafe::server
