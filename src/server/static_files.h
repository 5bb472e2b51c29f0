#pragma once
// Serves the web console (the built SPA) from a directory, as the dispatcher's fallback.
//
// Only GET and HEAD of paths outside /api are considered. "/" serves index.html; an
// extension-less path that names no file (a deep link like /incidents/INC-2026-0042) also
// serves index.html, so the SPA router takes over. Files under /assets/ (content-hashed by the
// bundler) are cacheable forever; everything else is revalidated (Cache-Control: no-cache).
//
// Path traversal is refused: '..' and '.' segments, encoded '/' or '\' (%2F, %5C), a raw '\',
// NUL -> 400; hidden files (a segment starting with '.'), and any file whose canonical path
// (symlinks resolved) is outside the canonical root -> 404. Both in the error shape.
// Thread-safe (reads the filesystem on each call; no state changes after construction).
#include <optional>
#include <string>
#include <string_view>

#include "server/http_types.h"

namespace failsafe::server {

class StaticFiles {
 public:
  // `root` need not exist yet; when it does not (at construction), Serve always returns nullopt.
  explicit StaticFiles(std::string root);

  // nullopt: not a console request (method, /api path, or no console root): let the caller
  // answer 404. Otherwise the file, the SPA index, or an error Response.
  std::optional<Response> Serve(const Request& request) const;

  // "text/css; charset=utf-8" for "app.css"; application/octet-stream when unknown.
  static std::string_view ContentTypeFor(std::string_view filename);

 private:
  // The canonical path of root/relative when it is a regular file inside the root.
  std::optional<std::string> Resolve(const std::string& relative) const;
  std::optional<Response> ServeFile(const std::string& canonical_path, bool immutable) const;
  std::string root_;  // canonical, without trailing '/'; empty when unusable
};

}  // namespace failsafe::server
