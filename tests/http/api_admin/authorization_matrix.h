// The authorization matrices: every person of the world (every role, in C1/P1
// and in other organisations) against every route of the route table, aimed
// at C1's and P1's resources. Expected per person, one letter each:
//   A  allowed: anything but 401, 403 and 404 (409 or 400 from the rules still means "let through")
//   D  403: the person's roles do not allow the action at all
//   H  404: the resource belongs to an organisation the person may not see (as if it did not exist)
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "admin_world.h"

namespace ledger::http::testing {

// The people of the administration matrix, in the order of its expectation strings.
inline const std::vector<std::string> kPeople = {"op",        "c1admin",   "c1tier1", "c1tier2",    "c1finance",
                                                 "c1auditor", "p1user",    "p2user",  "p2approver", "c2admin",
                                                 "c2tier1",   "c2auditor", "p3admin", "p3user"};

struct Row {
  std::string method;
  std::string pattern;  // the route's pattern, to check every route is covered
  std::string target;
  std::string body;
  std::string expected;  // one letter per person
  std::string content_type = "application/json";
  // When set, makes a resource in the state the row needs and returns the
  // target; called before the first person and again after every write that
  // succeeded (2xx), so each person meets the state the row is about.
  std::function<std::string()> fresh_target = {};
};

// The rows of the administration, payment, report, bulk and OpenAPI routes.
std::vector<Row> AdminMatrix();

inline char Outcome(int status) {
  if (status == 403) return 'D';
  if (status == 404) return 'H';
  if (status == 401 || status >= 500) return '!';
  return 'A';
}

// Runs every row as every person; returns one line per cell that differs.
inline std::vector<std::string> RunMatrix(ApiWorld& w, const std::vector<std::string>& people,
                                          const std::vector<Row>& matrix) {
  std::vector<std::string> mismatches;
  for (const Row& row : matrix) {
    REQUIRE_MESSAGE(row.expected.size() == people.size(), row.method << " " << row.pattern);
    std::string target = row.fresh_target ? row.fresh_target() : row.target;
    for (size_t i = 0; i < people.size(); ++i) {
      Response r = w.As(people[i], row.method, target, row.body, {}, row.content_type);
      char got = Outcome(r.status);
      if (got != row.expected[i])
        mismatches.push_back(row.method + " " + target + " as " + people[i] + ": expected " + row.expected[i] +
                             ", got " + std::to_string(r.status) + " " + r.body.substr(0, 160));
      if (row.fresh_target && row.method != "GET" && r.status >= 200 && r.status < 300) target = row.fresh_target();
    }
  }
  return mismatches;
}

inline std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace ledger::http::testing
