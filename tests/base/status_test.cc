#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "ledger/base/status.h"

namespace ledger::base {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::Invalid(std::to_string(n) + " is odd");
  return n / 2;
}

TEST_CASE("a Result carries its value or a non-ok Status with a readable message") {
  Result<int> even = Half(8);
  REQUIRE(even.ok());
  CHECK(*even == 4);
  CHECK(even.status().ok());
  Result<int> odd = Half(3);
  CHECK_FALSE(odd.ok());
  CHECK(odd.status().code() == Status::Code::kInvalid);
  CHECK(odd.status().ToString() == "Invalid: 3 is odd");
  CHECK(Status::Ok().ToString() == "OK");
  CHECK(Status::Conflict("x").ToString() == "Conflict: x");
}

TEST_CASE("an Expected holds its value or its error, and a moved-out value keeps its contents") {
  struct Refusal {
    int code;
  };
  struct Refused : Expected<std::string, Refusal> {
    using Expected<std::string, Refusal>::Expected;
    int code() const { return error().code; }
  };
  Refused yes = std::string("fine");
  Refused no = Refusal{7};
  CHECK(yes.ok());
  CHECK(yes->size() == 4);
  CHECK(std::move(yes).value() == "fine");
  CHECK_FALSE(no);
  CHECK(no.code() == 7);
  CHECK_THROWS_AS((void)no.value(), std::bad_variant_access);
}

}  // namespace
}  // namespace ledger::base
