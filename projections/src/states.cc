#include "ledger/projections/states.h"

#include "ledger/core/codec.h"
#include "ledger/projections/keys.h"
#include "query_support.h"

namespace ledger::projections {

es::Result<core::LoadedStream> FindStreamState(const ProjectionDb& db, std::string_view stream_id) {
  auto view = internal::ReadView::Open(db, AsOf{});
  if (!view.ok()) return view.status();
  auto row = (*view)->Get(std::string(keys::kStatesNamespace).append(stream_id));
  if (!row) return core::LoadedStream{0, core::InitialState(stream_id)};
  auto state = core::DecodeStreamState(*row);
  if (!state) return es::Status::Corruption("the state of stream " + std::string(stream_id) + " does not decode");
  return std::move(*state);
}

}  // namespace ledger::projections
