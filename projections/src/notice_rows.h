// Internal: the notices projection's rows and keys (keys.h, docs/projections.md).
#pragma once

#include <string>
#include <string_view>

#include "ledger/projections/notices.h"

namespace ledger::projections::internal {

// N|org|<org>|<BE64 ordered time>|<BE64 position>
std::string NoticeKey(std::string_view org, core::Timestamp at, uint64_t position);
std::string NoticeOrgPrefix(std::string_view org);  // N|org|<org>|
// kind, stream, subject, provider, tier, reason, reference, date, amount, at; the position is the key's.
std::string EncodeNotice(const Notice& n);
bool DecodeNotice(std::string_view row, Notice* out);
// latest, previous (signed varints).
std::string EncodeSignIns(const SignIns& s);
bool DecodeSignIns(std::string_view row, SignIns* out);

}  // namespace ledger::projections::internal
