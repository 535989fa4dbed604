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
  // Before its pay date the run cannot be marked paid: the page says from when instead of offering the form.
  CHECK_FALSE(w.rendered.at("can_mark_paid").as_bool());
  CHECK(ModelText(w.rendered, "paid_from_text").find("1 December 2026") != std::string::npos);
  CHECK(b.Post("/payment-runs/RUN-VM/paid", {{"reference", "BACS-EARLY"}}).status == 422);
  auto run_state = w.bus->LoadStream(core::PaymentRunStream("RUN-VM"));
  REQUIRE(run_state.ok());
  CHECK(std::get<core::PaymentRunState>(run_state->state).status == core::PaymentRunStatus::kConfirmed);
  // On the pay date it can.
  w.now = core::Date::FromYmd(2026, 12, 1).days * 86'400'000'000LL + 10 * 3'600'000'000LL;
  REQUIRE(b.Get("/payment-runs/RUN-VM").status == 200);
  CHECK(w.rendered.at("can_mark_paid").as_bool());
  REQUIRE(b.Post("/payment-runs/RUN-VM/paid", {{"reference", "BACS-0001"}}).status == 303);

  // The practice's statement: paid on the pay date (not the day it was marked), one line per payment.
  Browser practice{w};
  REQUIRE(practice.SignIn("p1user"));
  REQUIRE(practice.Get("/payments/statement").status == 200);
  CHECK(ModelText(w.rendered, "lines.0.paid_on_text") == "1 December 2026");
  CHECK(ModelText(w.rendered, "payments.0.run_id") == "RUN-VM");
  CHECK(ModelText(w.rendered, "payments.0.pay_date_text") == "1 December 2026");
  CHECK(ModelText(w.rendered, "payments.0.reference") == "BACS-0001");
  CHECK(ModelText(w.rendered, "payments.0.total") == "£10.00");
  CHECK(ModelText(w.rendered, "payments.0.claims_text") == "1 claim");
}

TEST_CASE("view model: a payment run's pay date must not have passed; the form says what to enter") {
  PortalWorld w;
  ClaimStates states(w);
  const std::string id = states.Through("p1user", {"c1tier1:approve", "c1tier2:approve"});
  Browser b{w};
  REQUIRE(b.SignIn("c1tier2"));
  REQUIRE(b.Get("/payment-runs/new").status == 200);
  const uint64_t before = w.ledger().store().GetHead().position;
  Response past = b.Post("/payment-runs/new", {{"pay_date", "2026-11-01"}, {"claim_ids", id}});
  CHECK(past.status == 422);
  CHECK(SummaryErrors(w.rendered)["pay_date"] ==
        "The pay date 1 November 2026 has passed. Enter today's date or a later one.");
  CHECK(w.ledger().store().GetHead().position == before);
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

TEST_CASE("view model: home counts what waits for each role, with links") {
  PortalWorld w;
  ClaimStates states(w);
  states.Through("p1user", {"c1tier1:approve", "c1tier2:approve"}, 1'600'000);  // waiting for Finance
  const std::string approved = states.Through("p1user", {"c1tier1:approve", "c1tier2:approve"});
  Browser finance{w};
  REQUIRE(finance.SignIn("c1finance"));
  REQUIRE(finance.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Claims of £15,000 or more awaiting Finance") == "1 /worklist");
  CHECK(HomeTile(w.rendered, "Payment runs to confirm") == "0 /payment-runs");

  REQUIRE(w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-12-01","run_id":"RUN-H"})").status ==
          201);
  REQUIRE(finance.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Payment runs to confirm") == "1 /payment-runs");
  CHECK(ModelText(w.rendered, "actions.1.text") == "1 payment run waiting to be confirmed");
  REQUIRE(w.As("c1finance", "POST", "/api/v1/payment-runs/RUN-H/confirm").status == 200);
  REQUIRE(finance.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Payment runs to confirm") == "0 /payment-runs");
  CHECK(HomeTile(w.rendered, "Payment runs to mark paid") == "1 /payment-runs");

  // An administrator: the accounts waiting for approval.
  Browser visitor{w};
  visitor.Get("/account-request");
  REQUIRE(visitor
              .Post("/account-request", {{"full_name", "Robin New"},
                                         {"email", "robin@nhs.invalid"},
                                         {"org_code", "C1"},
                                         {"username", "robin.new"},
                                         {"password", "a long enough password"},
                                         {"roles_requested", "tier1"}})
              .status == 303);
  Browser admin{w};
  REQUIRE(admin.SignIn("c1admin"));
  REQUIRE(admin.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Accounts awaiting approval") == "1 /admin/accounts");

  // A practice user: drafts to finish.
  states.Draft("p1user");
  Browser practice{w};
  REQUIRE(practice.SignIn("p1user"));
  REQUIRE(practice.Get("/").status == 200);
  bool draft_action = false;
  for (const auto& a : w.rendered.at("actions").as_array()) {
    draft_action = draft_action || a.at("text").as_string() == "1 draft claim to finish and submit";
  }
  CHECK(draft_action);
  (void)approved;
}

TEST_CASE("view model: the message centre tells what changed on the practice's claims since it last signed in") {
  PortalWorld w;
  Browser practice{w};
  REQUIRE(practice.SignIn("p1user"));  // the sign-in before: 15 November 2026, midnight
  ClaimStates states(w);
  const std::string returned = states.Through("p1user", {"c1tier1:return"});
  const std::string paid_later = states.Through("p1user", {"c1tier1:approve", "c1tier2:approve", "c1tier2:hold"});
  Browser again{w};
  REQUIRE(again.SignIn("p1user"));
  REQUIRE(again.Get("/").status == 200);
  CHECK(w.rendered.at("messages_since").as_string() == "Since you last signed in, 15 November 2026, 12:00am");
  REQUIRE(w.rendered.at("messages").as_array().size() == 2);  // newest first
  CHECK(ModelText(w.rendered, "messages.0.text") ==
        "The payment of " + Ref(paid_later) + " was held on 16 November 2026: \u2018Please check the invoice\u2019");
  CHECK(ModelText(w.rendered, "messages.1.text") == "Claim " + Ref(returned) +
                                                        " was returned by Tier 1 on 15 November 2026: "
                                                        "\u2018Please check the invoice\u2019");
  CHECK(ModelText(w.rendered, "messages.1.href") == "/claims/" + returned);

  // Signed in once more, nothing has changed since.
  w.now += 3'600'000'000LL;
  Browser third{w};
  REQUIRE(third.SignIn("p1user"));
  REQUIRE(third.Get("/").status == 200);
  CHECK(w.rendered.at("messages").as_array().empty());

  // Another commissioner's approver sees none of these claims.
  Browser other{w};
  REQUIRE(other.SignIn("c2tier1"));
  REQUIRE(other.Get("/").status == 200);
  CHECK(w.rendered.at("messages").as_array().empty());
}

// A monthly "Flu clinics" service (FLU, April 2026 to March 2027, a claim
// window of 30 days) defined, priced and published by C1's administrator, and
// offered to P1 from `start` to March 2027, to be answered by `respond_by`.
void OfferFluClinics(PortalWorld& w, const std::string& start, const std::string& respond_by) {
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services",
               R"({"service_id":"FLU","code":"FLU","name":"Flu clinics","description":"Clinics.",
  "category":"LES","frequency":"monthly","window_days":30,"start":"2026-04-01","end":"2027-03-31",
  "components":[{"id":"vaccinations","name":"Vaccinations given","unit_kind":"count","min":0,"max":5000}]})")
              .status == 201);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/tariffs",
               R"({"effective_from":"2026-04-01","payment_type":"item_of_service","unit_rates":{"vaccinations":1000}})")
              .status == 201);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/publish").status == 200);
  REQUIRE(
      w.As("c1admin", "POST", "/api/v1/services/FLU/offers",
           R"({"providers":["P1"],"start":")" + start + R"(","end":"2027-03-31","respond_by":")" + respond_by + R"("})")
          .status < 300);
}

TEST_CASE("view model: an offer waits for the practice's reply on its home, and both sides are told what happened") {
  PortalWorld w;
  Browser practice{w};
  REQUIRE(practice.SignIn("p1user"));  // the sign-in before the offer
  Browser admin{w};
  REQUIRE(admin.SignIn("c1admin"));
  w.now += 3'600'000'000LL;  // the offer comes an hour after those sign-ins
  OfferFluClinics(w, "2026-12-01", "2026-12-31");
  w.now += 3'600'000'000LL;
  Browser again{w};
  REQUIRE(again.SignIn("p1user"));
  REQUIRE(again.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Offers awaiting your reply") == "1 /services");
  const std::string p1 = w.ledger().OrganisationName("P1").value_or("P1");
  CHECK(ModelText(w.rendered, "messages.0.text") ==
        "Flu clinics was offered to " + p1 + " on 15 November 2026: reply by 31 December 2026");
  CHECK(ModelText(w.rendered, "messages.0.href") == "/services");

  REQUIRE(w.As("p1user", "POST", "/api/v1/offers/FLU/P1/accept").status == 200);
  REQUIRE(again.Get("/").status == 200);
  CHECK(HomeTile(w.rendered, "Offers awaiting your reply") == "0 /services");
  w.now += 3'600'000'000LL;
  Browser commissioner{w};
  REQUIRE(commissioner.SignIn("c1admin"));
  REQUIRE(commissioner.Get("/").status == 200);
  CHECK(ModelText(w.rendered, "messages.0.text") == p1 + " accepted the offer of Flu clinics on 15 November 2026");
  CHECK(ModelText(w.rendered, "messages.0.href") == "/offers");
}

TEST_CASE(
    "view model: the message centre names claim windows that opened since the last sign-in or close within a week") {
  PortalWorld w;
  OfferFluClinics(w, "2026-04-01", "2026-11-30");
  REQUIRE(w.As("p1user", "POST", "/api/v1/offers/FLU/P1/accept").status == 200);
  constexpr int64_t kDay = 86'400'000'000LL;
  w.now += 3'600'000'000LL;
  Browser first{w};
  REQUIRE(first.SignIn("p1user"));  // 15 November: October's window is open and closes in more than a week
  REQUIRE(first.Get("/").status == 200);
  for (const auto& item : w.rendered.at("messages").as_array()) {
    CHECK(std::string(item.at("text").as_string()).find("claim window") == std::string::npos);
  }

  w.now += 17 * kDay;  // 2 December: November's window opened on 1 December, after the last sign-in
  Browser second{w};
  REQUIRE(second.SignIn("p1user"));
  REQUIRE(second.Get("/").status == 200);
  CHECK(ModelText(w.rendered, "messages.0.text") ==
        "The claim window for Flu clinics, November 2026 opened on 1 December 2026: claim by 30 December 2026");
  CHECK(ModelText(w.rendered, "messages.0.href") == "/claims/new?service=FLU");

  w.now += 24 * kDay;  // 26 December: four days left, and no claim
  Browser third{w};
  REQUIRE(third.SignIn("p1user"));
  REQUIRE(third.Get("/").status == 200);
  CHECK(
      ModelText(w.rendered, "messages.0.text") ==
      "The claim window for Flu clinics, November 2026 closes on 30 December 2026, and no claim has been made for it");

  // A claim for November holds the period: the window is no longer news.
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims", R"({"service_id":"FLU","period":"2026-11"})").status == 201);
  REQUIRE(third.Get("/").status == 200);
  for (const auto& item : w.rendered.at("messages").as_array()) {
    CHECK(std::string(item.at("text").as_string()).find("claim window") == std::string::npos);
  }
}

}  // namespace
}  // namespace ledger::http::testing
