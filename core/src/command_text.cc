// Every text field of every command, walked in one place so that the text
// rule (text.h) is applied by Decide to each of them. Adding a command breaks
// the build here until its text fields are listed.
#include <functional>
#include <type_traits>

#include "ledger/core/domain.h"
#include "ledger/core/text.h"

namespace ledger::core {
namespace {

constexpr TextKind kLine = TextKind::kSingleLine;
constexpr TextKind kLines = TextKind::kMultiLine;

// S is std::string (to change the texts) or const std::string (to read them,
// map keys included: a key cannot be changed in place).
template <typename S>
class Walker {
 public:
  template <typename T>
  using Q = std::conditional_t<std::is_const_v<S>, const T, T>;
  using Visit = std::function<void(const std::string& path, S& text, TextKind kind)>;

  explicit Walker(const Visit& visit) : visit_(visit) {}

  void operator()(Q<RegisterOrganisation>& c) {
    Text("code", c.code);
    Text("name", c.name);
    Text("commissioner_code", c.commissioner_code);
    Text("postcode", c.postcode);
    Texts("members", c.members);
  }
  void operator()(Q<ConfigureProvider>& c) {
    Text("code", c.code);
    Texts("members", c.members);
  }
  void operator()(Q<RecordListSize>& c) { Text("code", c.code); }
  void operator()(Q<ConfigureCommissioner>& c) { Text("code", c.code); }
  void operator()(Q<RotateSigningKey>& c) {
    Text("code", c.code);
    Text("previous_public_key", c.previous_public_key);
    Text("public_key", c.public_key);
    Text("endorsement", c.endorsement);
  }

  void operator()(Q<RequestAccount>& c) { Person(c); }
  void operator()(Q<ApproveAccount>& c) { Text("username", c.username); }
  void operator()(Q<RefuseAccount>& c) { UserAndReason(c); }
  void operator()(Q<DisableAccount>& c) { UserAndReason(c); }
  void operator()(Q<EnableAccount>& c) { Text("username", c.username); }
  void operator()(Q<AssignRoles>& c) { Text("username", c.username); }
  void operator()(Q<ChangePassword>& c) { UserAndHash(c); }
  void operator()(Q<RecordSignIn>& c) { Text("username", c.username); }
  void operator()(Q<ResetPassword>& c) { UserAndHash(c); }
  void operator()(Q<CreateAccount>& c) { Person(c); }

  void operator()(Q<DefineService>& c) {
    Text("service_id", c.service_id);
    Text("commissioner", c.commissioner);
    Definition(c.definition);
  }
  void operator()(Q<EditServiceDraft>& c) {
    Text("service_id", c.service_id);
    Definition(c.definition);
  }
  void operator()(Q<PublishService>& c) { Text("service_id", c.service_id); }
  void operator()(Q<RetireService>& c) { Text("service_id", c.service_id); }
  void operator()(Q<AddTariffVersion>& c) {
    Text("service_id", c.service_id);
    for (size_t i = 0; i < c.tariff.unit_rates.size(); ++i)
      Text(Indexed("tariff.unit_rates", i) + ".component_id", c.tariff.unit_rates[i].component_id);
    Text("tariff.numerator_component", c.tariff.numerator_component);
    Text("tariff.denominator_component", c.tariff.denominator_component);
  }
  void operator()(Q<ShareService>& c) {
    Text("service_id", c.service_id);
    Text("with_commissioner", c.with_commissioner);
  }

  void operator()(Q<OfferService>& c) { ServiceAndProvider(c); }
  void operator()(Q<AcceptOffer>& c) { ServiceAndProvider(c); }
  void operator()(Q<DeclineOffer>& c) {
    ServiceAndProvider(c);
    Text("reason", c.reason, kLines);
  }
  void operator()(Q<WithdrawOffer>& c) {
    ServiceAndProvider(c);
    Text("reason", c.reason, kLines);
  }

  void operator()(Q<CreateClaimDraft>& c) { RefAndEntries(c); }
  void operator()(Q<EnterClaimValues>& c) { RefAndEntries(c); }
  void operator()(Q<AttachEvidence>& c) {
    Ref(c.claim);
    Text("evidence.sha256", c.evidence.sha256);
    Text("evidence.filename", c.evidence.filename);
    Text("evidence.content_type", c.evidence.content_type);
  }
  void operator()(Q<RemoveEvidence>& c) {
    Ref(c.claim);
    Text("sha256", c.sha256);
  }
  void operator()(Q<DeleteClaimDraft>& c) { Ref(c.claim); }
  void operator()(Q<SubmitClaim>& c) { Ref(c.claim); }
  void operator()(Q<ProviderApproveClaim>& c) { Ref(c.claim); }
  void operator()(Q<ProviderReturnClaim>& c) { RefAndReason(c); }
  void operator()(Q<ApproveClaim>& c) { Ref(c.claim); }
  void operator()(Q<RejectClaim>& c) {
    Ref(c.claim);
    Text("reason_code", c.reason_code);
    Text("reason", c.reason, kLines);
  }
  void operator()(Q<ReturnClaim>& c) { RefAndReason(c); }
  void operator()(Q<WithdrawClaim>& c) { RefAndReason(c); }
  void operator()(Q<HoldPayment>& c) { RefAndReason(c); }
  void operator()(Q<ReleasePayment>& c) { Ref(c.claim); }
  void operator()(Q<RaiseAdjustment>& c) {
    Ref(c.original);
    Text("adjustment_id", c.adjustment_id);
    Text("reason", c.reason, kLines);
  }

  void operator()(Q<CreatePaymentRun>& c) {
    Text("run_id", c.run_id);
    Text("commissioner", c.commissioner);
    Texts("claim_ids", c.claim_ids);
    Text("head_hash", c.head_hash);
    Text("signed_head.tree_root", c.signed_head.tree_root);
    Text("signed_head.public_key", c.signed_head.public_key);
    Text("signed_head.signature", c.signed_head.signature);
  }
  void operator()(Q<ConfirmPaymentRun>& c) {
    Text("run_id", c.run_id);
    Texts("claim_ids", c.claim_ids);
  }
  void operator()(Q<MarkPaymentRunPaid>& c) {
    Text("run_id", c.run_id);
    Texts("claim_ids", c.claim_ids);
    Text("payment_reference", c.payment_reference);
  }

 private:
  static std::string Indexed(std::string_view list, size_t i) { return std::string(list) + "." + std::to_string(i); }
  // A map key in a path only when it is itself acceptable text.
  static std::string SafeKey(const std::string& key) { return IsValidText(key, kLine) ? key : "?"; }

  void Text(const std::string& path, S& text, TextKind kind = kLine) { visit_(path, text, kind); }
  void Texts(std::string_view list, Q<std::vector<std::string>>& texts) {
    for (size_t i = 0; i < texts.size(); ++i) Text(Indexed(list, i), texts[i]);
  }
  template <typename Map>
  void Keys(std::string_view map, Map& entries) {
    if constexpr (std::is_const_v<S>) {
      for (const auto& entry : entries) Text(std::string(map), entry.first);
    }
  }
  void Ref(Q<ClaimRef>& ref) {
    Text("claim_id", ref.claim_id);
    Text("provider", ref.provider);
    Text("commissioner", ref.commissioner);
    Text("service_id", ref.service_id);
    Text("period", ref.period);
  }
  template <typename C>
  void RefAndEntries(C& c) {
    Ref(c.claim);
    Keys("values", c.values);
    Keys("answers", c.answers);
    for (auto& [id, answer] : c.answers) Text("answers." + SafeKey(id), answer, kLines);
  }
  template <typename C>
  void RefAndReason(C& c) {
    Ref(c.claim);
    Text("reason", c.reason, kLines);
  }
  template <typename C>
  void ServiceAndProvider(C& c) {
    Text("service_id", c.service_id);
    Text("provider", c.provider);
  }
  template <typename C>
  void Person(C& c) {
    Text("username", c.username);
    Text("org_code", c.org_code);
    Text("full_name", c.full_name);
    Text("email", c.email);
    Text("password_hash", c.password_hash);
  }
  template <typename C>
  void UserAndReason(C& c) {
    Text("username", c.username);
    Text("reason", c.reason, kLines);
  }
  template <typename C>
  void UserAndHash(C& c) {
    Text("username", c.username);
    Text("password_hash", c.password_hash);
  }
  void Definition(Q<ServiceDefinition>& d) {
    Text("code", d.code);
    Text("name", d.name);
    Text("description", d.description, kLines);
    for (size_t i = 0; i < d.components.size(); ++i) {
      const std::string path = Indexed("components", i);
      Text(path + ".id", d.components[i].id);
      Text(path + ".name", d.components[i].name);
      Text(path + ".numerator_of", d.components[i].numerator_of);
    }
    for (size_t i = 0; i < d.questions.size(); ++i) {
      const std::string path = Indexed("questions", i);
      Text(path + ".id", d.questions[i].id);
      Text(path + ".text", d.questions[i].text);
    }
  }

  const Visit& visit_;
};

}  // namespace

void ForEachTextField(const Command& command, const ConstTextVisitor& visit) {
  std::visit(Walker<const std::string>(visit), command);
}

void ForEachTextField(Command& command, const TextVisitor& visit) { std::visit(Walker<std::string>(visit), command); }

std::vector<FieldError> CommandTextProblems(const Command& command) {
  std::vector<FieldError> errors;
  ForEachTextField(command, [&](const std::string& path, const std::string& text, TextKind kind) {
    if (auto problem = TextProblem(path, text, kind)) errors.push_back(std::move(*problem));
  });
  return errors;
}

}  // namespace ledger::core
