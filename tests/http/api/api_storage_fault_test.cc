// The API on a disk that cannot be written: writes answer 503 problem+json and
// store nothing, reads go on, and writes work again once the disk does.
#include <doctest/doctest.h>

#include "api_world.h"
#include "support/fault_fs.h"

namespace ledger::http::testing {
namespace {

using Fault = ledger::testing::FaultFs::Fault;

struct FaultyWorld {
  FaultyWorld()
      : fs(std::make_shared<ledger::testing::FaultFs>()),
        w(std::make_unique<ledger::testing::TempDir>(), true, OptionsFor(fs)) {}
  static es::Options OptionsFor(const std::shared_ptr<ledger::testing::FaultFs>& fs) {
    es::Options options;
    options.env = ledger::testing::FaultFs::EnvFor(fs);
    return options;
  }
  // A write is refused with 503 storage-unavailable and stores nothing, while
  // the claim `id` still reads.
  void CheckRefusedButReadable(const std::string& id) {
    uint64_t head = w.Head();
    Response refused = w.As("p1user", "POST", "/api/v1/claims", kBody);
    CHECK(refused.status == 503);
    CHECK(refused.Header("Content-Type") == "application/problem+json");
    CHECK(refused.Header("Retry-After") == "30");
    CHECK(Str(Json(refused), "type").find("storage-unavailable") != std::string::npos);
    CHECK(w.Head() == head);
    Response read = w.As("p1user", "GET", "/api/v1/claims/" + id);
    CHECK(read.status == 200);
    CHECK(Str(Json(read), "status") == "Draft");
    CHECK(w.Handle("GET", "/healthz").status == 200);
  }
  static constexpr const char* kBody = R"({"service_id":"SPEND","period":"2026-11-03","values":{"cost":100}})";

  std::shared_ptr<ledger::testing::FaultFs> fs;
  ApiWorld w;
};

TEST_CASE("a nearly full disk turns writes into 503, keeps serving reads, and writes work once space returns") {
  FaultyWorld f;
  std::string id = f.w.Draft("p1user", 2, 12'500);
  f.fs->ReportFreeSpace(1ull << 20);
  f.CheckRefusedButReadable(id);
  f.fs->ReportFreeSpace(std::nullopt);
  Response created = f.w.As("p1user", "POST", "/api/v1/claims", FaultyWorld::kBody);
  CHECK_MESSAGE(created.status == 201, created.body);
}

TEST_CASE("a failed disk write turns every later write into 503 while reads go on") {
  for (auto fault : {Fault::kEio, Fault::kNoSpace}) {
    CAPTURE(static_cast<int>(fault));
    FaultyWorld f;
    std::string id = f.w.Draft("p1user", 2, 12'500);
    f.fs->FailSyncs(fault);
    f.CheckRefusedButReadable(id);
    // Until the ledger is restarted, the outcome of the failed write is not
    // known, so writes stay refused even once the disk works again.
    f.fs->FailSyncs(Fault::kNone);
    f.CheckRefusedButReadable(id);
  }
}

}  // namespace
}  // namespace ledger::http::testing
