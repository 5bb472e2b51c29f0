#pragma once
// Module-internal: the five routes every catalog resource has (list, create, get, patch,
// delete), written once. A resource describes how to find, read, validate, store and show its
// entity; RegisterCrud adds
//   GET    <path>           catalog.read    keyset-paginated list
//   POST   <path>           <write perm>    create (201 + the stored entity)
//   GET    <path>/{key}     catalog.read    one, by key (404 naming it)
//   PATCH  <path>/{key}     <write perm>    change the fields given
//   DELETE <path>/{key}     <write perm>    204; 409 while something still refers to it
// Every change is audited ("<noun>.create|update|delete") in the same transaction.
#include <boost/json.hpp>
#include <functional>
#include <string>

#include "auth/audit_log.h"
#include "auth/module_services.h"
#include "catalog/catalog_store.h"
#include "server/pagination.h"
#include "server/route_helpers.h"
#include "server/router.h"
#include "store/tx_result.h"

namespace failsafe::catalog {

template <typename T>
struct Resource {
  std::string noun;              // "service" (audit actions, messages)
  std::string path;              // "/api/v1/services"
  std::string tag;               // OpenAPI tag
  std::string write_permission;  // "catalog.write" or "catalog.admin"
  T defaults;                    // starting point of a create
  std::function<std::string(const T&)> key_of;
  std::function<Result<std::optional<T>>(store::Tx&, std::string_view)> find;
  std::function<Result<std::vector<T>>(store::Tx&, const Page&)> list;
  std::function<Status(const boost::json::object&, bool, T&)> apply;
  std::function<Result<int64_t>(store::Tx&, const T&, int64_t)> insert;
  std::function<Status(store::Tx&, const T&, int64_t)> update;
  std::function<Status(store::Tx&, const T&)> remove;
  std::function<boost::json::object(const T&)> to_json;
  boost::json::value create_schema, patch_schema, response_schema;
};

// Loads `key` or fails with kNotFound naming the noun and the key.
template <typename T>
Result<T> Require(const Resource<T>& r, store::Tx& tx, const std::string& key) {
  FS_ASSIGN_OR_RETURN(auto found, r.find(tx, key));
  if (!found) return Err(NotFound(r.noun + " \"" + key + "\" not found"));
  return std::move(*found);
}

inline boost::json::array FieldNames(const boost::json::object& body) {
  boost::json::array out;
  for (const auto& kv : body) out.emplace_back(kv.key());
  return out;
}

template <typename T>
void RegisterCrud(const auth::ModuleServices& services, server::Router& router, Resource<T> res) {
  using server::Request;
  using server::Response;
  auto r = std::make_shared<const Resource<T>>(std::move(res));
  const auth::ModuleServices* svc = &services;
  const std::string one = r->path + "/{key}";

  router.Add({"GET",
              r->path,
              "catalog.read",
              [r, svc](Request& req) -> Result<Response> {
                FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
                FS_ASSIGN_OR_RETURN(
                    auto items, store::ReadResult<std::vector<T>>(svc->store, [&](store::Tx& tx) {
                      return r->list(tx, Page{page.after_id.value_or(0), page.limit + 1});
                    }));
                std::optional<int64_t> next;
                if (items.size() > static_cast<size_t>(page.limit)) {
                  items.resize(static_cast<size_t>(page.limit));
                  next = items.back().id;
                }
                boost::json::array out;
                for (const auto& item : items) out.emplace_back(r->to_json(item));
                return Response::Json(server::PageJson(std::move(out), next));
              },
              {"List " + r->noun + "s",
               r->tag,
               nullptr,
               server::PagedSchema(r->response_schema),
               200,
               {"limit", "cursor"}}});

  router.Add({"POST",
              r->path,
              r->write_permission,
              [r, svc](Request& req) -> Result<Response> {
                FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
                T entity = r->defaults;
                FS_RETURN_IF_ERROR(r->apply(body, true, entity));
                FS_ASSIGN_OR_RETURN(
                    T stored, store::WriteResult<T>(svc->store, [&](store::Tx& tx) -> Result<T> {
                      FS_ASSIGN_OR_RETURN(int64_t id,
                                          r->insert(tx, entity, svc->clock.NowMillis()));
                      FS_RETURN_IF_ERROR(svc->audit.Append(
                          tx, auth::AuditFor(req, r->noun + ".create", r->noun, std::to_string(id),
                                             {{"key", r->key_of(entity)}})));
                      return Require(*r, tx, r->key_of(entity));
                    }));
                return Response::Json(r->to_json(stored), 201);
              },
              {"Create a " + r->noun, r->tag, r->create_schema, r->response_schema, 201, {}}});

  router.Add({"GET",
              one,
              "catalog.read",
              [r, svc](Request& req) -> Result<Response> {
                FS_ASSIGN_OR_RETURN(T entity, store::ReadResult<T>(svc->store, [&](store::Tx& tx) {
                                      return Require(*r, tx, req.Param("key"));
                                    }));
                return Response::Json(r->to_json(entity));
              },
              {"Get a " + r->noun + " by key", r->tag, nullptr, r->response_schema, 200, {}}});

  router.Add(
      {"PATCH",
       one,
       r->write_permission,
       [r, svc](Request& req) -> Result<Response> {
         FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
         FS_ASSIGN_OR_RETURN(
             T stored, store::WriteResult<T>(svc->store, [&](store::Tx& tx) -> Result<T> {
               FS_ASSIGN_OR_RETURN(T entity, Require(*r, tx, req.Param("key")));
               FS_RETURN_IF_ERROR(r->apply(body, false, entity));
               FS_RETURN_IF_ERROR(r->update(tx, entity, svc->clock.NowMillis()));
               FS_RETURN_IF_ERROR(svc->audit.Append(
                   tx, auth::AuditFor(req, r->noun + ".update", r->noun, std::to_string(entity.id),
                                      {{"key", r->key_of(entity)}, {"fields", FieldNames(body)}})));
               return Require(*r, tx, r->key_of(entity));
             }));
         return Response::Json(r->to_json(stored));
       },
       {"Change a " + r->noun + " (only the fields given)",
        r->tag,
        r->patch_schema,
        r->response_schema,
        200,
        {}}});

  router.Add({"DELETE",
              one,
              r->write_permission,
              [r, svc](Request& req) -> Result<Response> {
                Status st = svc->store.Write([&](store::Tx& tx) -> Status {
                  FS_ASSIGN_OR_RETURN_STATUS(T entity, Require(*r, tx, req.Param("key")));
                  FS_RETURN_STATUS_IF_ERROR(r->remove(tx, entity));
                  return svc->audit.Append(
                      tx, auth::AuditFor(req, r->noun + ".delete", r->noun,
                                         std::to_string(entity.id), {{"key", r->key_of(entity)}}));
                });
                if (!st.ok()) return Err(st);
                return Response::NoContent();
              },
              {"Delete a " + r->noun + " (409 while still referenced)",
               r->tag,
               nullptr,
               nullptr,
               204,
               {}}});
}

// A create schema without "required", for PATCH.
inline boost::json::value PatchSchemaOf(boost::json::value create_schema) {
  create_schema.as_object().erase("required");
  return create_schema;
}

}  // namespace failsafe::catalog
