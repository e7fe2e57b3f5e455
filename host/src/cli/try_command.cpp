// `switchboard try --config F [--inbox ID] TEXT` runs TEXT through an inbox's
// pipeline and prints the decision trace. Nothing is sent or stored: channel
// instances are never created. `--jsonl` reads one message per stdin line
// (a JSON object with "text" and optionally "inbox", "contact",
// "conversation", or a JSON string) and prints one trace per line; state
// such as "already greeted" carries across lines of the same conversation.
#include <iostream>
#include <map>

#include "app/runtime.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "log/logger.hpp"
#include "pipeline/inbound_message.hpp"
#include "pipeline/pipeline_runner.hpp"
#include "store/store.hpp"

namespace switchboard::cli {
namespace {

struct TryOptions {
  std::string file;
  std::string inbox;
  std::vector<std::string> words;
  bool jsonl = false;
  bool compact = false;
  std::string log_level = "warn";
};

// Runs the message through its inbox's pipeline with that conversation's state.
class TrySession {
 public:
  // The trace with its keys in reading order: what came in, what each step
  // did, then the decisions.
  nlohmann::ordered_json run(const app::Inbox& inbox, const nlohmann::json& input) {
    pipeline::InboundMessage message;
    message.id = "try-" + std::to_string(++count_);
    message.inbox = inbox.config.id;
    message.channel = inbox.config.channel.plugin;
    message.text = input.value("text", "");
    message.contact = input.value("contact", nlohmann::json{{"id", "try-contact"}});
    message.conversation_id = input.value("/conversation/id"_json_pointer, std::string("try-conversation"));
    message.conversation_state = input.value("/conversation/state"_json_pointer, std::string("bot"));
    std::string key = inbox.config.id + "/" + message.conversation_id;
    message.conversation_new = seen_.count(key) == 0;
    message.received_at = store::to_rfc3339(store::now_ms());
    seen_[key] = true;

    bool human = message.conversation_state == "assigned";
    pipeline::MemoryState& state = states_[key];
    pipeline::RunResult result = pipeline::PipelineRunner(*inbox.pipeline).run({message.to_json(), human, &state});
    state.apply(result.state_writes);

    nlohmann::json decided = result.to_json();
    nlohmann::ordered_json trace = {
        {"inbox", inbox.config.id}, {"pipeline", inbox.pipeline->name}, {"text", message.text}};
    for (const char* key :
         {"steps", "tags", "intent", "attributes", "replies", "queue", "assignment", "resolved", "decided_by"}) {
      if (decided.contains(key)) trace[key] = decided[key];
    }
    return trace;
  }

 private:
  std::map<std::string, pipeline::MemoryState> states_;
  std::map<std::string, bool> seen_;
  int count_ = 0;
};

const app::Inbox* pick_inbox(const app::Runtime& runtime, const std::string& id) {
  if (id.empty()) return runtime.inboxes().empty() ? nullptr : &runtime.inboxes().front();
  return runtime.inbox(id);
}

std::string inbox_list(const app::Runtime& runtime) {
  std::string out;
  for (const auto& inbox : runtime.inboxes()) out += (out.empty() ? "" : ", ") + inbox.config.id;
  return out;
}

int run_jsonl(const app::Runtime& runtime, const TryOptions& options) {
  TrySession session;
  std::string line;
  int line_no = 0;
  int failures = 0;
  while (std::getline(std::cin, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto input = nlohmann::json::parse(line, nullptr, false);
    if (input.is_string()) input = nlohmann::json{{"text", input}};
    std::string inbox_id = input.is_object() ? input.value("inbox", options.inbox) : options.inbox;
    const app::Inbox* inbox = pick_inbox(runtime, inbox_id);
    std::string error = !input.is_object()                                      ? "not a JSON object or string"
                        : !input.contains("text") || !input["text"].is_string() ? "needs a \"text\" string"
                        : inbox == nullptr                                      ? "unknown inbox '" + inbox_id + "'"
                                                                                : "";
    if (!error.empty()) {
      std::cout << nlohmann::json{{"line", line_no}, {"error", error}}.dump() << "\n";
      ++failures;
      continue;
    }
    std::cout << session.run(*inbox, input).dump() << "\n";
  }
  return failures == 0 ? kExitOk : kExitFailure;
}

int run_try(const TryOptions& options) {
  log::Level level = log::Level::Warn;
  log::parse_level(options.log_level, level);
  log::set_level(level);
  std::unique_ptr<app::Runtime> runtime;
  try {
    runtime = app::Runtime::load(options.file, executable_path(), app::Runtime::Parts::PipelinesOnly);
  } catch (const app::StartupError& e) {
    for (const auto& line : e.lines()) std::cerr << line << "\n";
    return kExitUsage;
  }
  plugins::MemoryKeyValue dry_run_values;  // `try` never writes the database
  runtime->connect_key_value(dry_run_values);
  runtime->start();
  if (options.jsonl) return run_jsonl(*runtime, options);

  const app::Inbox* inbox = pick_inbox(*runtime, options.inbox);
  if (inbox == nullptr) {
    std::cerr << "unknown inbox '" << options.inbox << "'; the config has: " << inbox_list(*runtime) << "\n";
    return kExitUsage;
  }
  std::string text;
  for (const auto& word : options.words) text += (text.empty() ? "" : " ") + word;
  TrySession session;
  nlohmann::ordered_json trace = session.run(*inbox, {{"text", text}});
  std::cout << (options.compact ? trace.dump() : trace.dump(2)) << "\n";
  return kExitOk;
}

}  // namespace

Action add_try_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("try", "Dry-run a message through an inbox's pipeline; prints the trace as JSON");
  auto options = std::make_shared<TryOptions>();
  cmd->add_option("-c,--config", options->file, "Config file")->required();
  cmd->add_option("-i,--inbox", options->inbox, "Inbox id (default: the first inbox)");
  cmd->add_flag("--jsonl", options->jsonl, "Read one message per stdin line, print one trace per line");
  cmd->add_flag("--compact", options->compact, "Print the trace on one line");
  cmd->add_option("--log-level", options->log_level, "debug | info | warn | error | off (default warn)");
  auto* text = cmd->add_option("text", options->words, "The customer's message");
  cmd->callback([options, text] {
    if (!options->jsonl && text->count() == 0) throw CLI::RequiredError("TEXT (or --jsonl)");
    if (options->jsonl && text->count() > 0) throw CLI::ValidationError("text", "give TEXT or --jsonl, not both");
  });
  return [options] { return run_try(*options); };
}

}  // namespace switchboard::cli
