// What a claim holds, as the pages that show it to someone deciding on it
// need it (claims.cc builds it; the decision page in approvals.cc shows it).
#pragma once

#include "portal_internal.h"

namespace ledger::http::portal {

// The claim's values and answers ("answers": label, value_text), its evidence
// ("evidence": filename, content_type, size_text, sha256, href; "has_evidence"),
// the tariff its amount was worked out with ("tariff": "" before submission),
// and every return of the claim ("returns": title, actor, at_text, at_iso,
// reason, newest first; "has_returns"). Reads the read models only.
json::object ClaimDetails(Page& page, const core::ClaimState& claim);

}  // namespace ledger::http::portal
