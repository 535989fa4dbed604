// ledger user create / ledger user reset-password: the operator's way in.
#include <cctype>
#include <new>

#include <fmt/format.h>

#include "commands.h"
#include "ledger/app/command_bus.h"
#include "ledger/app/credentials.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "operator.h"
#include "password.h"

namespace ledger::tools {
namespace {

// The stored form of a new password; "" when hashing ran out of memory.
std::string NewHash(const std::string& password) {
  try {
    return app::HashPassword(password);
  } catch (const std::bad_alloc&) {
    return {};
  }
}

struct UserCreateArgs {
  std::string data;
  std::string username;
  std::string org;
  std::vector<std::string> roles;
  std::string full_name;
  std::string email;
};

struct ResetArgs {
  std::string data;
  std::string username;
};

// USERNAME@ORG.invalid: a placeholder that can never be delivered to (RFC 2606).
std::string DefaultEmail(std::string_view username, std::string_view org) {
  std::string domain(org);
  for (char& c : domain) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return fmt::format("{}@{}.invalid", username, domain);
}

int RunCreate(const CLI::App& app, const UserCreateArgs& args) {
  if (!core::IsValidUsername(args.username))
    return UsageError(app, "--username may hold only a-z, 0-9, '.', '_' and '-'");
  core::RoleSet roles;
  for (const std::string& name : args.roles) {
    core::Role role;
    if (!core::ParseRole(name, &role))
      return UsageError(app, fmt::format("unknown role '{}': use operator, commissioner_admin, tier1, tier2, finance, "
                                         "auditor, provider_admin, provider_user or provider_approver",
                                         name));
    roles.Add(role);
  }
  // The account decider needs a full name and an email address; an operator
  // account made at installation gets placeholders unless they are given.
  std::string full_name = args.full_name.empty() ? args.username : args.full_name;
  std::string email = args.email.empty() ? DefaultEmail(args.username, args.org) : args.email;
  if (email.find('@') == std::string::npos)
    return UsageError(app,
                      fmt::format("--email '{}' is not an email address: give one like jo@example.nhs.uk", args.email));
  std::string password, error;
  if (!ReadNewPassword(&password, &error)) return Fail(kExitUsage, error);
  std::string hash = NewHash(password);
  if (hash.empty()) return Fail(kExitFailed, "hashing the password failed (out of memory?): retry");
  int exit_code = kExitOk;
  auto store = OpenStoreForWriting(DataDir(args.data), /*create_if_missing=*/true, &exit_code);
  if (!store) return exit_code;
  app::CommandBus bus(*store);
  if (args.org == core::kSystemOrgCode) {
    if (auto failed = EnsureSystemOrganisation(bus)) return ReportExecuted(*failed, "");
  }
  core::CreateAccount command{args.username, args.org, full_name, email, roles, hash};
  return ReportExecuted(bus.Execute(OperatorMeta("user-create-" + args.username), command),
                        fmt::format("created account {} at {}", args.username, args.org));
}

int RunReset(const ResetArgs& args) {
  std::string password, error;
  if (!ReadNewPassword(&password, &error)) return Fail(kExitUsage, error);
  std::string hash = NewHash(password);
  if (hash.empty()) return Fail(kExitFailed, "hashing the password failed (out of memory?): retry");
  int exit_code = kExitOk;
  auto store = OpenStoreForWriting(DataDir(args.data), /*create_if_missing=*/false, &exit_code);
  if (!store) return exit_code;
  app::CommandBus bus(*store);
  // A reset by the operator: the event records no person (reset_by is empty)
  // and the command and correlation ids ("cli-...") show where it came from.
  return ReportExecuted(bus.Execute(OperatorMeta("user-reset-password-" + args.username),
                                    core::ResetPassword{args.username, hash}),
                        fmt::format("changed the password of {}", args.username));
}

}  // namespace

void RegisterUser(CLI::App& app, CommandRegistry& registry) {
  CLI::App* user = app.add_subcommand("user", "Create accounts and reset passwords as the operator");
  user->require_subcommand(1, 1);
  user->footer("Example:\n  ledger user create --data /var/lib/ledger --username ops --org SYSTEM --role operator");

  auto create_args = std::make_shared<UserCreateArgs>();
  CLI::App* create = user->add_subcommand("create", "Create an active account (e.g. the first Administrator)");
  AddDataOption(create, &create_args->data);
  create->add_option("--username", create_args->username, "Username (a-z, 0-9, '.', '_', '-')")->required();
  create->add_option("--org", create_args->org, "ODS code of the organisation (SYSTEM for operators)")->required();
  create->add_option("--role", create_args->roles, "Role; repeat for several")->required();
  create->add_option("--full-name", create_args->full_name, "The person's name (default: the username)");
  create->add_option("--email", create_args->email,
                     "The person's email address (default: USERNAME@ORG.invalid, a placeholder)");
  create->footer(
      "The password is read from a prompt (twice, not echoed) on a terminal, or as one line of standard\n"
      "input; never from the command line. At least 12 characters.\n\n"
      "Example:\n  ledger user create --data /var/lib/ledger --username jo.admin --org 00L --role commissioner_admin "
      "\\\n"
      "    --full-name 'Jo Admin' --email jo.admin@example.nhs.uk");
  registry.Add(create, [create, create_args] { return RunCreate(*create, *create_args); });

  auto reset_args = std::make_shared<ResetArgs>();
  CLI::App* reset = user->add_subcommand("reset-password", "Set a new password for an account");
  AddDataOption(reset, &reset_args->data);
  reset->add_option("--username", reset_args->username, "Username")->required();
  reset->footer(
      "The password is read from a prompt or one line of standard input, never from the command line.\n\n"
      "Example:\n  ledger user reset-password --data /var/lib/ledger --username jo.admin");
  registry.Add(reset, [reset_args] { return RunReset(*reset_args); });
}

}  // namespace ledger::tools
