// The API world of tests/http/api plus what the administration tests need:
// people requested through the public route and approved, a claim approved
// for payment, and CSV bodies.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../api/api_world.h"

namespace ledger::http::testing {

// Requests an account through the public route; returns the response.
inline Response RequestAccount(ApiWorld& w, const std::string& username, const std::string& org,
                               const std::string& roles_json) {
  return w.Handle("POST", "/api/v1/accounts",
                  R"({"username":")" + username + R"(","org_code":")" + org + R"(","full_name":"Person )" + username +
                      R"(","email":")" + username + R"(@nhs.invalid","roles":)" + roles_json + R"(,"password":")" +
                      kApiPassword + R"("})");
}

// Requests and (as the operator) approves an account with the roles requested.
inline void AddPerson(ApiWorld& w, const std::string& username, const std::string& org, const std::string& roles_json) {
  Response requested = RequestAccount(w, username, org, roles_json);
  REQUIRE_MESSAGE(requested.status == 202, requested.body);
  Response approved = w.As("op", "POST", "/api/v1/accounts/" + username + "/approve");
  REQUIRE_MESSAGE(approved.status == 200, approved.body);
}

// A SPEND claim of P1 for `day` approved for payment (below the finance threshold).
inline std::string ApprovedClaim(ApiWorld& w, int day, int64_t pence) {
  std::string id = w.Draft("p1user", day, pence);
  for (const char* step : {"p1user:submit", "c1tier1:approve", "c1tier2:approve"}) {
    std::string s(step);
    std::string user = s.substr(0, s.find(':')), action = s.substr(s.find(':') + 1);
    Response r = w.As(user, "POST", "/api/v1/claims/" + id + "/" + action);
    std::string what = user + " " + action + ": " + r.body;
    REQUIRE_MESSAGE(r.status == 200, what);
  }
  REQUIRE(w.StatusOf("p1user", id) == "Approved for Payment");
  return id;
}

inline Response PostCsv(ApiWorld& w, const std::string& user, const std::string& target, const std::string& csv) {
  return w.As(user, "POST", target, csv, {}, "text/csv");
}

// The string values of `field` in every object of the array `list` of a JSON body.
inline std::vector<std::string> Column(const Response& r, const char* list, const char* field) {
  std::vector<std::string> out;
  boost::json::value body = Json(r);
  for (const auto& item : body.at(list).as_array()) out.push_back(Str(item, field));
  return out;
}

inline bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace ledger::http::testing
