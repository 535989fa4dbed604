// STUB: replaced by tools/src/serve.cc (the HTTP server's subcommand). Once
// serve.cc exists the build uses it instead of this file; delete this file then.
#include "serve.h"

namespace ledger::tools {

void RegisterServe(CLI::App& app, CommandRegistry& registry) {
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP server and portal (not built into this binary yet)");
  serve->allow_extras();
  serve->footer("Example:\n  ledger serve --data /var/lib/ledger");
  registry.Add(serve, [] {
    return Fail(kExitFailed, "the HTTP server is not built into this binary yet: use a build that includes "
                             "tools/src/serve.cc");
  });
}

}  // namespace ledger::tools
