// The events' descriptions and core/schema/*.fbs agree: the table of every
// event (and of every struct an event holds) has one field per described
// member, with the same name, in the same order. The codec relies on it
// (core/src/codec_described.h): member i is written as the table's field i.
#include <doctest/doctest.h>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/core/domain.h"
#include "support/build_paths.h"

namespace ledger::core {
namespace {

using Fields = std::vector<std::string>;

// Every table of every schema file, by name, with its field names in order.
std::map<std::string, Fields> SchemaTables() {
  std::map<std::string, Fields> tables;
  const std::regex table_re(R"(table\s+(\w+)\s*\{([^}]*)\})");
  const std::regex field_re(R"((\w+)\s*:)");
  for (const auto& file : std::filesystem::directory_iterator(LEDGER_SOURCE_DIR "/core/schema")) {
    std::ifstream in(file.path());
    std::stringstream text;
    for (std::string line; std::getline(in, line);) text << line.substr(0, line.find("//")) << '\n';
    const std::string schema = text.str();
    for (std::sregex_iterator t(schema.begin(), schema.end(), table_re), end; t != end; ++t) {
      Fields fields;
      const std::string body = (*t)[2];
      for (std::sregex_iterator f(body.begin(), body.end(), field_re); f != end; ++f) fields.push_back((*f)[1]);
      tables[(*t)[1]] = fields;
    }
  }
  return tables;
}

template <typename T>
Fields Described() {
  Fields out;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto member) { out.emplace_back(member.name); });
  return out;
}

template <typename T>
void CheckTable(const std::map<std::string, Fields>& tables, const std::string& table) {
  INFO("table ", table);
  REQUIRE(tables.contains(table));
  CHECK(tables.at(table) == Described<T>());
}

TEST_CASE("every event's table has the described fields, named and ordered as described") {
  const auto tables = SchemaTables();
  size_t events = 0;
  boost::mp11::mp_for_each<boost::mp11::mp_rename<Event, boost::mp11::mp_list>>([&](auto event) {
    using E = decltype(event);
    CheckTable<E>(tables, std::string(E::kTypeName));
    ++events;
  });
  CHECK(events == std::variant_size_v<Event>);
  CheckTable<ClaimRef>(tables, "ClaimRef");
  CheckTable<Evidence>(tables, "Evidence");
  CheckTable<FieldError>(tables, "FieldError");
  CheckTable<PaymentRunLine>(tables, "PaymentRunLine");
  CheckTable<ServiceDefinition>(tables, "Definition");
  CheckTable<Component>(tables, "Component");
  CheckTable<Question>(tables, "Question");
  CheckTable<Tariff>(tables, "Tariff");
  CheckTable<ComponentRate>(tables, "ComponentRate");
  CheckTable<ThresholdTier>(tables, "ThresholdTier");
  // Maps are vectors of {key, value} tables.
  CHECK(tables.at("UnitValue").size() == 2);
  CHECK(tables.at("Answer").size() == 2);
}

}  // namespace
}  // namespace ledger::core
