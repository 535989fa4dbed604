// The claim rules in the portal: for every claim status x every person, the
// claim page's view model carries exactly the actions GET /api/v1/claims/{id}
// lists for that person (both ask core), its markup offers exactly their
// buttons, and the decision page offers exactly the listed decisions
// (approve, return, reject).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "claim_states.h"
#include "portal_world.h"

namespace ledger::http::testing {
namespace {

std::set<std::string> ListedActions(PortalWorld& w, const std::string& person, const std::string& id) {
  Response r = w.As(person, "GET", ClaimStates::Path(id));
  std::set<std::string> out;
  if (r.status != 200) return out;
  const boost::json::value body = Json(r);
  for (const auto& a : body.at("actions").as_array()) out.emplace(a.as_string());
  return out;
}

// The buttons the listed actions should show on the claim page.
std::set<std::string> ExpectedButtons(const std::set<std::string>& listed) {
  std::set<std::string> out;
  if (listed.contains("approve") || listed.contains("return") || listed.contains("reject")) out.insert("decision");
  if (listed.contains("edit")) out.insert("edit");
  if (listed.contains("hold_payment")) out.insert("hold");
  if (listed.contains("release_payment")) out.insert("release");
  if (listed.contains("withdraw")) out.insert("withdraw");
  return out;
}

// The buttons in the claim page's "What you can do" group.
std::set<std::string> Buttons(const std::string& html, const std::string& id) {
  std::set<std::string> out;
  const auto start = html.find("data-testid=\"claim-actions\"");
  if (start == std::string::npos) return out;
  const std::string group = html.substr(start, html.find("<h2", start) - start);
  for (const char* b : {"decision", "edit", "hold", "withdraw"}) {
    if (Contains(group, "href=\"/claims/" + id + "/" + b + "\"")) out.insert(b);
  }
  if (Contains(group, "action=\"/claims/" + id + "/release\"")) out.insert("release");
  return out;
}

std::set<std::string> Decisions(const std::string& html) {
  std::set<std::string> out;
  static const std::regex kItem(R"re(name="decision" type="radio" value="([a-z]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kItem); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += (out.empty() ? "" : ",") + x;
  return "{" + out + "}";
}

TEST_CASE(
    "claim actions: the portal's claim and decision pages offer exactly the actions core lists, for every "
    "status and person") {
  PortalWorld w;
  ClaimStates states(w);
  std::map<std::string, std::unique_ptr<Browser>> browsers;
  for (const std::string& person : kCast) {
    browsers[person] = std::make_unique<Browser>(Browser{w});
    REQUIRE_MESSAGE(browsers[person]->SignIn(person), person);
  }
  std::vector<std::string> mismatches;
  int buttons_seen = 0;
  for (const ClaimStates::State& state : states.All()) {
    const std::string id = state.make();
    for (const std::string& person : kCast) {
      Browser& b = *browsers[person];
      const std::set<std::string> listed = ListedActions(w, person, id);
      const std::string cell = state.name + " / " + person + ": ";
      Response page = b.Get("/claims/" + id);
      if (page.status == 200) {  // the view model first: the actions the page was given
        std::set<std::string> given;
        for (const auto& a : w.rendered.at("actions").at("available").as_array()) given.emplace(a.as_string());
        if (given != listed) mismatches.push_back(cell + "view model " + Join(given) + ", actions " + Join(listed));
      }
      const std::set<std::string> buttons = page.status == 200 ? Buttons(page.body, id) : std::set<std::string>{};
      buttons_seen += static_cast<int>(buttons.size());
      if (buttons != ExpectedButtons(listed)) {
        mismatches.push_back(cell + "buttons " + Join(buttons) + ", actions " + Join(listed));
      }
      std::set<std::string> decisions;
      for (const char* d : {"approve", "return", "reject"}) {
        if (listed.contains(d)) decisions.insert(d);
      }
      Response decision = b.Get("/claims/" + id + "/decision");
      const std::set<std::string> offered = decision.status == 200 ? Decisions(decision.body) : std::set<std::string>{};
      if (offered != decisions) {
        mismatches.push_back(cell + "decision page (" + std::to_string(decision.status) + ") offers " + Join(offered) +
                             ", actions " + Join(listed));
      }
    }
  }
  std::string lines;
  for (const std::string& m : mismatches) lines += m + "\n";
  CHECK_MESSAGE(mismatches.empty(), lines);
  CHECK(buttons_seen >= 12);
}

}  // namespace
}  // namespace ledger::http::testing
