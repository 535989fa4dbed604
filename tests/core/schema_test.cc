// The events' descriptions and core/schema/*.fbs agree: the table of every
// event (and of every struct an event holds) has one field per described
// member, with the same name, in the same order. The codec relies on it
// (core/src/codec_described.h): member i is written as the table's field i.
#include <doctest/doctest.h>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/core/domain.h"
#include "support/build_paths.h"

namespace ledger::core {
namespace {

using Fields = std::vector<std::string>;

// The identifier that ends just before `end` in `text` (letters, digits, '_').
std::string IdentifierBefore(const std::string& text, size_t end) {
  while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  size_t begin = end;
  while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) || text[begin - 1] == '_')) --begin;
  return text.substr(begin, end - begin);
}

// Every table of every schema file, by name, with its field names in order
// ("table Name { field: type; ... }", comments removed first).
std::map<std::string, Fields> SchemaTables() {
  std::map<std::string, Fields> tables;
  for (const auto& file : std::filesystem::directory_iterator(LEDGER_SOURCE_DIR "/core/schema")) {
    std::ifstream in(file.path());
    std::stringstream text;
    for (std::string line; std::getline(in, line);) text << line.substr(0, line.find("//")) << '\n';
    const std::string schema = text.str();
    for (size_t at = schema.find("table "); at != std::string::npos; at = schema.find("table ", at + 1)) {
      if (at > 0 && !std::isspace(static_cast<unsigned char>(schema[at - 1]))) continue;
      const size_t open = schema.find('{', at);
      const size_t close = schema.find('}', open);
      REQUIRE(open != std::string::npos);
      REQUIRE(close != std::string::npos);
      const std::string name = IdentifierBefore(schema, open);
      const std::string body = schema.substr(open + 1, close - open - 1);
      Fields fields;
      for (size_t colon = body.find(':'); colon != std::string::npos; colon = body.find(':', colon + 1)) {
        fields.push_back(IdentifierBefore(body, colon));
      }
      tables[name] = fields;
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
