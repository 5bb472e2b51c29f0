#pragma once
// Router: the table of every HTTP route, with the permission each needs and its OpenAPI
// description. Modules add their routes at start; after that the router is read-only and
// safe to use from any thread.
#include <boost/json.hpp>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "server/http_types.h"

namespace failsafe::server {

using Handler = std::function<Result<Response>(Request&)>;

// What OpenAPI says about a route. Schemas are JSON Schema objects (OpenAPI 3.1).
struct RouteDoc {
  std::string summary;
  std::string tag;                     // "auth", "users", "system", ...
  boost::json::value request_schema;   // null when the route takes no body
  boost::json::value response_schema;  // schema of the success body (null: no body)
  int success_status = 200;
  std::vector<std::string> query_params;                 // documented query parameters
  std::string response_media_type = "application/json";  // e.g. text/event-stream
};

// Access a route needs: kPublic (anyone), or a permission name checked by the Authorizer
// ("users.read", "audit.read", ...; see auth/roles.cc for which roles hold which).
struct Route {
  std::string method;
  std::string pattern;     // "/api/v1/users/{id}"; {name} matches one non-empty segment
  std::string permission;  // empty = public
  Handler handler;
  RouteDoc doc;
  bool csrf_exempt = false;  // only for login, which has no session yet
  bool is_public() const { return permission.empty(); }
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool path_known = false;  // a route has this path with another method (-> 405)
};

// Not thread-safe while routes are being added; Find/AllowedMethods/routes are safe from any
// thread once the router is complete (it is never changed while serving).
class Router {
 public:
  // Adds a route; duplicate method+pattern, a pattern not starting with '/', or a malformed
  // {name} segment is a bug and throws std::logic_error.
  void Add(Route route);
  // Matches `path` (already percent-decoded) exactly: no trailing-slash or case folding.
  // When several patterns match, the one with a literal segment where the other has a
  // parameter (compared left to right) wins: "/users/me" beats "/users/{id}".
  // No route for the method: route == nullptr, path_known tells whether another method has it.
  Match Find(const std::string& method, const std::string& path) const;
  // Methods that have a route matching `path`, sorted (for the 405 Allow header).
  std::vector<std::string> AllowedMethods(const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool param = false;
  };
  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> compiled_;  // parallel to routes_
  // Routes without parameters by their pattern: a path equal to one needs no scan of every
  // route, and such a route beats any other match (it is literal in every segment).
  std::unordered_map<std::string, std::vector<size_t>> literal_;
};

}  // namespace failsafe::server
