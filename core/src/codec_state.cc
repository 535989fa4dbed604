// Stream states <-> bytes for the read model of current states. The bytes are
//   [FlatBuffers table of the state][version, 8 bytes big-endian][kind, 1 byte]
// where kind is the state's index in AggregateState (0: no state, no table).
#include <boost/mp11/algorithm.hpp>

#include <variant>

#include "codec_described.h"
#include "codec_fb.h"
#include "ledger/base/aligned.h"
#include "ledger/base/big_endian.h"
#include "ledger/core/codec.h"

namespace ledger::core {
namespace {

constexpr size_t kTrailer = 9;  // version + kind

template <typename S>
constexpr bool kDescribesEveryField = boost::mp11::mp_size<internal::described::Members<S>>::value ==
                                      json_detail::FieldCount<S>();
static_assert(kDescribesEveryField<OrgState> && kDescribesEveryField<AccountState> &&
                  kDescribesEveryField<ServiceState> && kDescribesEveryField<OfferState> &&
                  kDescribesEveryField<ClaimState> && kDescribesEveryField<ClaimKeyState> &&
                  kDescribesEveryField<PaymentRunState>,
              "a stream's state is described field by field, in declaration order");

template <typename S>
std::string TableOf(const S& state) {
  flatbuffers::FlatBufferBuilder fbb;
  return internal::Finish(fbb, flatbuffers::Offset<void>(
                                   internal::described::BuildTable(fbb, state, internal::BuildOrder::kFieldOrder)));
}

}  // namespace

std::string EncodeStreamState(const LoadedStream& stream) {
  std::string out = std::visit(
      [](const auto& state) -> std::string {
        using S = std::decay_t<decltype(state)>;
        if constexpr (std::is_same_v<S, std::monostate>) {
          return {};
        } else if constexpr (std::is_same_v<S, AccountState>) {
          AccountState without_secret = state;
          without_secret.password_hash.clear();
          return TableOf(without_secret);
        } else {
          return TableOf(state);
        }
      },
      stream.state);
  base::AppendBE64(&out, stream.version);
  out.push_back(static_cast<char>(stream.state.index()));
  return out;
}

std::optional<LoadedStream> DecodeStreamState(std::string_view bytes) {
  if (bytes.size() < kTrailer) return std::nullopt;
  const size_t kind = static_cast<uint8_t>(bytes.back());
  if (kind >= std::variant_size_v<AggregateState>) return std::nullopt;
  LoadedStream out;
  out.version = base::ReadBE64(bytes.substr(bytes.size() - kTrailer));
  std::string_view table = bytes.substr(0, bytes.size() - kTrailer);
  base::AlignedCopy copy;
  table = copy.Aligned(table);
  bool ok = false;
  boost::mp11::mp_with_index<std::variant_size_v<AggregateState>>(kind, [&](auto index) {
    using S = std::variant_alternative_t<decltype(index)::value, AggregateState>;
    if constexpr (std::is_same_v<S, std::monostate>) {
      ok = table.empty();
    } else {
      const flatbuffers::Table* root = internal::described::VerifiedDescribedRoot<S>(table);
      S state;
      ok = root != nullptr && internal::described::ReadTable(root, &state);
      out.state = std::move(state);
    }
  });
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ledger::core
