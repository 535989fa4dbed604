// What the portal's pages show, asserted on their view models (the model each
// template is rendered from), and where it comes from: the read models, never
// the log folded for display.
#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <vector>

#include "claim_states.h"
#include "ledger/core/streams.h"
#include "portal_world.h"

namespace ledger::http::testing {
namespace {

std::vector<std::string> Titles(const boost::json::array& timeline) {
  std::vector<std::string> out;
  for (const auto& entry : timeline) out.emplace_back(entry.at("title").as_string());
  return out;
}

const boost::json::object& Entry(const boost::json::array& timeline, const std::string& title) {
  for (const auto& entry : timeline) {
    if (entry.at("title").as_string() == title) return entry.as_object();
  }
  FAIL("no timeline entry titled " << title);
  static const boost::json::object kNone;
  return kNone;
}

TEST_CASE("view model: a claim's page shows its history newest first, with names, and the reason it came back") {
  PortalWorld w;
  ClaimStates states(w);
  const std::string id = states.Through("p1user", {"c1tier1:return"});
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));

  w.reads().ResetReads();
  Response page = b.Get("/claims/" + id);
  REQUIRE_MESSAGE(page.status == 200, page.body);
  CHECK(w.rendered_page == "claim");
  // Nothing the page shows was folded from the log: not the claim, its service or its practice.
  for (const std::string& stream : {core::ClaimStream(id), core::ServiceStream("SPEND"), core::OrgStream("P1")})
    CHECK_MESSAGE(w.reads().Reads().count(stream) == 0, stream);

  const boost::json::array& timeline = w.rendered.at("timeline").as_array();
  const std::vector<std::string> titles = Titles(timeline);
  REQUIRE(titles.size() >= 4);
  CHECK(titles.front() == "Returned for amendment");
  CHECK(titles.back() == "Draft started");
  const boost::json::object& returned = Entry(timeline, "Returned for amendment");
  CHECK(returned.at("actor").as_string() == "Person c1tier1");
  CHECK(returned.at("actor_organisation").as_string() == "Commissioner C1");
  CHECK(returned.at("reason").as_string() == "Please check the invoice");
  CHECK_FALSE(returned.at("at_text").as_string().empty());
  CHECK(Entry(timeline, "Submitted").at("actor").as_string() == "Person p1user");
  CHECK(std::string(Entry(timeline, "Evidence added").at("detail").as_string()).starts_with("counts.csv"));
  const boost::json::object& claim = w.rendered.at("claim").as_object();
  CHECK(claim.at("decision_heading").as_string() == "Reason for returning the claim");
  CHECK(claim.at("decision_reason").as_string() == "Please check the invoice");

  Response edit = b.Get("/claims/" + id + "/edit");
  REQUIRE_MESSAGE(edit.status == 200, edit.body);
  CHECK(w.rendered_page == "claim_edit");
  CHECK(w.rendered.at("return_reason").as_string() == "Please check the invoice");
  CHECK(w.reads().Reads().count(core::ClaimStream(id)) == 0);
}

TEST_CASE("view model: a payment run's page names who made and confirmed it and the log head it was made at") {
  PortalWorld w;
  ClaimStates states(w);
  const std::string id = states.Through("p1user", {"c1tier1:approve", "c1tier2:approve"});
  const std::string pay_date = core::Date::FromYmd(2026, 12, 1).ToString();
  const uint64_t head_at_creation = w.ledger().store().GetHead().position;
  Response run = w.As("c1tier2", "POST", "/api/v1/payment-runs",
                      R"({"pay_date":")" + pay_date + R"(","run_id":"RUN-VM"})");
  REQUIRE_MESSAGE(run.status == 201, run.body);
  Browser b{w};
  REQUIRE(b.SignIn("c1finance"));

  Response before = b.Get("/payment-runs/RUN-VM");
  REQUIRE_MESSAGE(before.status == 200, before.body);
  CHECK(w.rendered_page == "payment_run");
  boost::json::object model = w.rendered.at("run").as_object();
  CHECK(model.at("prepared_by").as_string() == "Person c1tier2");
  CHECK_FALSE(model.at("created_text").as_string().empty());
  CHECK(model.at("confirmed_by").as_string().empty());
  CHECK(model.at("head_hash").as_string().size() == 64);
  // The head it cites is signed: the page shows the tree's root and when.
  CHECK(model.at("tree_root").as_string().size() == 64);
  CHECK_FALSE(model.at("head_signed_text").as_string().empty());
  CHECK(model.at("claims").as_array().size() == 1);
  CHECK(model.at("claims").as_array()[0].at("claim_id").as_string() == id);
  CHECK(w.rendered.at("can_confirm").as_bool());
  // Its maker may confirm it too, as the API lets them (core decides ConfirmPaymentRun alone).
  Browser maker{w};
  REQUIRE(maker.SignIn("c1tier2"));
  REQUIRE(maker.Get("/payment-runs/RUN-VM").status == 200);
  CHECK(w.rendered.at("can_confirm").as_bool());

  REQUIRE(w.As("c1finance", "POST", "/api/v1/payment-runs/RUN-VM/confirm").status == 200);
  w.reads().ResetReads();
  Response after = b.Get("/payment-runs/RUN-VM");
  REQUIRE_MESSAGE(after.status == 200, after.body);
  CHECK(w.reads().Reads().count(core::PaymentRunStream("RUN-VM")) == 0);
  model = w.rendered.at("run").as_object();
  CHECK(model.at("confirmed_by").as_string() == "Person c1finance");
  CHECK_FALSE(model.at("confirmed_text").as_string().empty());
  std::string head(model.at("head_position").as_string());
  std::erase(head, ',');
  CHECK(head == std::to_string(head_at_creation));
  CHECK_FALSE(w.rendered.at("can_confirm").as_bool());
}

TEST_CASE("view model: services and offers shows what is open to claim, as the new claim form offers it") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  REQUIRE(b.Get("/services").status == 200);
  REQUIRE(w.rendered_page == "services");
  const boost::json::array& services = w.rendered.at("participations").as_array();
  REQUIRE(services.size() == 1);
  CHECK(services[0].at("service_code").as_string() == "SPEND");
  // SPEND is one-off: a claim is for a day of activity whose 30-day window (from the next day) is open.
  const boost::json::array& open = services[0].at("open_periods").as_array();
  REQUIRE(open.size() == 1);
  CHECK(open[0].as_string() == "Activity on any day from 16 October 2026 to 14 November 2026");

  // A day that already holds a submitted claim is not open any more; the range is the days left.
  const std::string id = w.Draft("p1user", 14, 100);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  REQUIRE(b.Get("/services").status == 200);
  CHECK(w.rendered.at("participations").at(0).at("open_periods").at(0).as_string() ==
        "Activity on any day from 16 October 2026 to 13 November 2026");
}

// A claim as pages name it: its id in capitals ("C-7F3A9E").
std::string Ref(std::string id) {
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

// The count tile of the home page with this label ("" when there is none), as "COUNT HREF".
std::string HomeTile(const boost::json::object& model, const std::string& label) {
  for (const auto& tile : model.at("counts").as_array()) {
    if (tile.at("label").as_string() == label) {
      return std::string(tile.at("count").as_string()) + " " + std::string(tile.at("href").as_string());
    }
  }
  return "";
}

TEST_CASE("view model: home shows a practice approver what waits for them, and held payments apart from approved") {
  PortalWorld w;
  ClaimStates states(w);
  states.Through("p2user", {});  // submitted at P2, a multi-level practice: waiting for its approver
  states.Through("p2user", {});
  Browser approver{w};
  REQUIRE(approver.SignIn("p2approver"));
  REQUIRE(approver.Get("/").status == 200);
  REQUIRE(w.rendered_page == "home");
  REQUIRE(w.rendered.at("has_actions").as_bool());
  CHECK(ModelText(w.rendered, "actions.0.text") == "2 claims waiting for your approval");
  CHECK(ModelText(w.rendered, "actions.0.href") == "/worklist");
  CHECK(HomeTile(w.rendered, "Awaiting your approval") == "2 /worklist");

  const std::string approved = states.Through("p1user", {"c1tier1:approve", "c1tier2:approve"});
  const std::string held = states.Through("p1user", {"c1tier1:approve", "c1tier2:approve", "c1tier2:hold"});
  Browser practice{w};
  REQUIRE(practice.SignIn("p1user"));
  REQUIRE(practice.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Approved for payment") == "1 /claims?status=approved");
  CHECK(HomeTile(w.rendered, "Payment held") == "1 /claims?status=held");
  // Each tile's link lists the claims it counted.
  Response held_list = practice.Get("/claims?status=held");
  REQUIRE(held_list.status == 200);
  CHECK(held_list.body.find(Ref(held)) != std::string::npos);
  CHECK(held_list.body.find(Ref(approved)) == std::string::npos);
  Response approved_list = practice.Get("/claims?status=approved");
  REQUIRE(approved_list.status == 200);
  CHECK(approved_list.body.find(Ref(approved)) != std::string::npos);
  CHECK(approved_list.body.find(Ref(held)) == std::string::npos);
}

}  // namespace
}  // namespace ledger::http::testing
