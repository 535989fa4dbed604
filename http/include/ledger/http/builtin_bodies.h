// The bodies of the routes every server has (builtin_routes.cc): sign-in, who
// am I, and health. Described once: the handlers send them with wire::ToJson
// and the OpenAPI document declares them with wire::Schemas.
#pragma once

#include <boost/describe/class.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/http/wire.h"

namespace ledger::http::bodies {

struct SignIn {
  static constexpr std::string_view kSchemaName = "SignIn";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"username", {{"maxLength", 200}, {"minLength", 1}}},
            {"password", {{"maxLength", 1024}, {"minLength", 1}}}};
  }
  std::string username;
  std::string password;
  static SignIn Example() { return {"practice.user", "correct horse battery staple"}; }
};
BOOST_DESCRIBE_STRUCT(SignIn, (), (username, password))

struct Session {
  static constexpr std::string_view kSchemaName = "Session";
  static constexpr std::string_view kDoc =
      "A new session: send `token` as `Authorization: Bearer`, or use the session cookie set beside it and "
      "send `csrf_token` with every change";
  std::string token;
  std::string csrf_token;
  std::string username;
  int64_t idle_timeout_seconds = 0;
  int64_t absolute_timeout_seconds = 0;
};
BOOST_DESCRIBE_STRUCT(Session, (), (token, csrf_token, username, idle_timeout_seconds, absolute_timeout_seconds))

struct MyOrganisation {
  static constexpr std::string_view kSchemaName = "MyOrganisation";
  static boost::json::object Notes() {
    return {{"kind", {{"enum", wire::EnumOf(core::OrgKindName, core::OrgKind::kSystem, core::OrgKind::kFederation)}}},
            {"commissioner_code", {{"description", "the commissioner a provider belongs to; empty otherwise"}}}};
  }
  std::string code;
  std::string kind;
  std::string commissioner_code;
};
BOOST_DESCRIBE_STRUCT(MyOrganisation, (), (code, kind, commissioner_code))

struct Me {
  static constexpr std::string_view kSchemaName = "Me";
  static boost::json::object Notes() {
    return {{"permissions", {{"description", "the actions my roles allow within my own organisation"}}}};
  }
  std::string username;
  MyOrganisation organisation;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
};
BOOST_DESCRIBE_STRUCT(Me, (), (username, organisation, roles, permissions))

struct Health {
  static constexpr std::string_view kSchemaName = "Health";
  static boost::json::object Notes() {
    return {{"status", {{"enum", {"ok", "damaged"}}}},
            {"log",
             {{"description",
               "the log's start-up verification: verified, verified_position; and when damaged, damaged_position, "
               "writes and action"}}}};
  }
  std::string status;
  std::optional<boost::json::object> log;
};
BOOST_DESCRIBE_STRUCT(Health, (), (status, log))

struct FieldProblem {
  static constexpr std::string_view kSchemaName = "FieldProblem";
  static boost::json::object Notes() {
    return {{"path", {{"description", "the member of the body, as a dotted path (\"values.flu\")"}}},
            {"code", {{"description", "stable: required, wrong_type, too_long, unknown_field, ..."}}}};
  }
  std::string path;
  std::string code;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(FieldProblem, (), (path, code, message))

// RFC 9457 problem details, as every refusal carries them.
struct Problem {
  static constexpr std::string_view kSchemaName = "Problem";
  static constexpr std::string_view kDoc = "RFC 9457 problem details: `type` is a page that explains the problem";
  static boost::json::object Notes();
  std::string type;
  std::string title;
  int64_t status = 0;
  std::string detail;
  std::optional<std::string> instance;
  std::optional<std::string> code;
  std::optional<std::vector<FieldProblem>> errors;
  static Problem Example() {
    return {"/problems/validation",
            "Validation failed",
            400,
            "The request has problems.",
            "urn:ledger:request:4f1c2a9be07d3d10",
            std::nullopt,
            std::vector<FieldProblem>{{"reason", "required", "Enter a reason."}}};
  }
};
BOOST_DESCRIBE_STRUCT(Problem, (), (type, title, status, detail, instance, code, errors))

}  // namespace ledger::http::bodies
