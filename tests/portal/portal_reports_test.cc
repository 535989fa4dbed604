// The report and audit pages' view models: each chart is the report's own
// measure, the row count and CSV link are the report's (with its filters and
// the position the page was computed at), and "as of" a time or a position is
// read, refused with a clear error, and named with the log's fingerprint.
#include <doctest/doctest.h>

#include <string>

#include "claim_states.h"
#include "ledger/eventstore/event_store.h"
#include "portal_world.h"

namespace ledger::http::testing {
namespace {

std::string HashAt(PortalWorld& w, uint64_t position) {
  auto events = w.ledger().store().ReadAll(position, 1);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  return es::HashToHex(events->front().hash);
}

TEST_CASE(
    "report page: the turnaround chart plots the report's hours, the CSV link is the same report at the same head") {
  PortalWorld w;
  ClaimStates states(w);
  states.Through("p1user", {"c1tier1:approve", "c1tier2:approve"});
  Browser b{w};
  REQUIRE(b.SignIn("c1finance"));
  Response page = b.Get("/reports/turnaround");
  REQUIRE_MESSAGE(page.status == 200, page.body);
  REQUIRE(w.rendered_page == "report");

  projections::ReportParams params{"C1", {}};
  auto table = w.ledger().RunReport("turnaround", params);
  REQUIRE(table.ok());
  REQUIRE_FALSE(table->rows.empty());
  const boost::json::object& chart = ModelAt(w.rendered, "charts.0.data")->as_object();
  CHECK(chart.at("y_title").as_string() == "Hours");
  CHECK(chart.at("x_title").as_string() == "Service and stage");
  const boost::json::array& medians = chart.at("datasets").at(0).at("data").as_array();
  REQUIRE(medians.size() == table->rows.size());
  for (size_t i = 0; i < medians.size(); ++i)
    CHECK(medians[i].as_double() == doctest::Approx(static_cast<double>(std::get<int64_t>(table->rows[i][4])) / 100.0));
  CHECK(ModelAt(w.rendered, "report.row_count")->to_number<int64_t>() == static_cast<int64_t>(table->rows.size()));
  CHECK(ModelText(w.rendered, "report.csv_href") ==
        "/api/v1/reports/turnaround?format=csv&as_of=" + std::to_string(table->as_of.position));
  CHECK(ModelText(w.rendered, "log_head.hash") == table->head_hash);
  CHECK(ModelText(w.rendered, "log_head.fingerprint_label").starts_with("Fingerprint of the log up to event "));

  // A list has no chart; a filter reaches the report and the CSV link.
  REQUIRE(b.Get("/reports/claims?provider=P1").status == 200);
  CHECK(ModelAt(w.rendered, "charts")->as_array().empty());
  CHECK(ModelText(w.rendered, "report.csv_href").ends_with("&provider=P1"));
  for (const std::string& code : ModelColumn(w.rendered, "report.rows.0.cells", "text")) CHECK(code != "P2");
}

TEST_CASE("report page: as of a log position or a UK time; bad values are refused with what to enter") {
  PortalWorld w;
  ClaimStates states(w);
  states.Through("p1user", {"c1tier1:approve"});
  Browser b{w};
  REQUIRE(b.SignIn("c1finance"));
  const uint64_t head = w.ledger().store().GetHead().position;
  REQUIRE(head > 3);

  REQUIRE(b.Get("/reports/claims?position=3").status == 200);
  CHECK(ModelText(w.rendered, "log_head.position") == "3");
  CHECK(ModelText(w.rendered, "log_head.hash") == HashAt(w, 3));
  CHECK(ModelText(w.rendered, "report.csv_href").find("as_of=3") != std::string::npos);

  CHECK(b.Get("/reports/claims?position=12x").status == 422);
  CHECK(SummaryErrors(w.rendered)["position"] == "Enter the log position as a whole number, like 1,234");
  CHECK(b.Get("/reports/claims?position=" + std::to_string(head + 1)).status == 422);
  CHECK(SummaryErrors(w.rendered)["position"].starts_with("The log has "));
  CHECK(b.Get("/reports/claims?position=3&as_of=2026-01-01").status == 422);
  CHECK(SummaryErrors(w.rendered)["position"] == "Enter a date and time or a log position, not both");
  for (const std::string bad : {"31%2F03%2F2026", "2026-02-30", "2026-03-31%2025:00", "1234"}) {
    CAPTURE(bad);
    CHECK(b.Get("/reports/claims?as_of=" + bad).status == 422);
    CHECK(SummaryErrors(w.rendered)["as_of"] ==
          "Enter the date as 2026-03-31, or the date and time as 2026-03-31 14:30");
  }
  CHECK(b.Get("/reports/claims?service=NOPE").status == 422);
  CHECK(SummaryErrors(w.rendered)["service"] == "Choose a service from the list");

  // Before the first event: nothing yet. At a time after the last: the head.
  REQUIRE(b.Get("/reports/claims?as_of=2000-01-01%2009:30").status == 200);
  CHECK(ModelText(w.rendered, "log_head.text") == "The log had no events then.");
  REQUIRE(b.Get("/reports/claims?as_of=2099-01-01").status == 200);
  CHECK(ModelText(w.rendered, "log_head.hash") == HashAt(w, head));
}

TEST_CASE("verify and event log pages: the fingerprint of the log up to the position asked for, in words") {
  PortalWorld w;
  ClaimStates states(w);
  states.Through("p1user", {});
  Browser b{w};
  REQUIRE(b.SignIn("c1auditor"));
  REQUIRE(b.Get("/audit/verify").status == 200);
  const uint64_t head = w.ledger().store().GetHead().position;
  CHECK(ModelText(w.rendered, "log_head.hash") == HashAt(w, head));
  REQUIRE(b.Get("/audit/verify?position=2").status == 200);
  CHECK(ModelText(w.rendered, "log_head.fingerprint_label") == "Fingerprint of the log up to event 2");
  CHECK(ModelText(w.rendered, "log_head.hash") == HashAt(w, 2));
  CHECK(b.Get("/audit/verify?position=0").status == 422);

  REQUIRE(b.Get("/audit/events?position=2").status == 200);
  CHECK(ModelText(w.rendered, "log_head.hash") == HashAt(w, 2));
  CHECK(ModelText(w.rendered, "events.0.position") == "2");
}

}  // namespace
}  // namespace ledger::http::testing
