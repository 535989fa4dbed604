// Internal: ClaimView <-> row bytes, and the status rules the claims projection applies.
#pragma once

#include <string>
#include <string_view>

#include "ledger/projections/claim_views.h"

namespace ledger::projections::internal {

std::string EncodeClaimRow(const ClaimView& claim);  // without valid_from/valid_to
bool DecodeClaimRow(std::string_view row, ClaimView* out);

// The worklist role and organisation holding a claim in `status` ("" when none).
void HolderFor(const ClaimView& claim, std::string* role, std::string* org);

}  // namespace ledger::projections::internal
