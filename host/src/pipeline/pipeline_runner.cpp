// The step loop: call each handler with the message plus what earlier steps
// decided, merge a step's buffered effects only when it succeeds, apply the
// step's on_error policy when it fails, and write one trace line per step.
#include "pipeline/pipeline_runner.hpp"

#include <algorithm>
#include <chrono>

#include "pipeline/step_context.hpp"

namespace switchboard::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
const char* kHumanControls = "a human controls this conversation";

// The message as the next step sees it.
nlohmann::json step_view(const nlohmann::json& message, const RunResult& run) {
  nlohmann::json view = message;
  view["tags"] = run.tags;
  view["attributes"] = run.attributes;
  view["intent"] =
      run.intent ? nlohmann::json{{"name", run.intent->name}, {"score", run.intent->score}} : nlohmann::json(nullptr);
  return view;
}

// Human-readable summary of what a successful step did.
std::string describe(const StepEffects& e, bool suppressed) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  if (e.intent) add("intent " + e.intent->name + " (" + std::to_string(e.intent->score).substr(0, 4) + ")");
  for (const auto& tag : e.tags) add("tag " + tag);
  for (const auto& item : e.attributes.items()) add("attribute " + item.key());
  if (!e.replies.empty())
    add(std::string(suppressed ? "reply suppressed (" : "replied (") + std::to_string(e.replies.size()) + ")");
  if (e.assignment) add("handoff to " + e.assignment->queue + " (" + priority_name(e.assignment->priority) + ")");
  if (e.resolved) add("resolved");
  return out.empty() ? "no effect" : out;
}

void merge(StepEffects& e, std::size_t step, bool human, RunResult& run) {
  for (auto& tag : e.tags) {
    if (std::find(run.tags.begin(), run.tags.end(), tag) == run.tags.end()) run.tags.push_back(std::move(tag));
  }
  run.attributes.update(e.attributes);
  if (e.intent) run.intent = std::move(e.intent);
  for (auto& outbound : e.replies) {
    run.replies.push_back(Reply{std::move(outbound), step, human, human ? kHumanControls : ""});
  }
  if (e.assignment) {
    e.assignment->step = step;
    run.assignment = std::move(e.assignment);
  }
  if (e.resolved) run.resolved = std::move(e.resolved);
  for (auto& w : e.state_writes) run.state_writes.push_back(std::move(w));
}

}  // namespace

RunResult PipelineRunner::run(const RunInput& input) const {
  RunResult run;
  bool human = input.human_in_control;
  text::FoldMemo folds;
  for (std::size_t i = 0; i < pipeline_.steps.size(); ++i) {
    const Step& step = pipeline_.steps[i];
    std::string label = "pipeline '" + pipeline_.name + "' step " + std::to_string(i) + " (" + step.plugin + ")";
    StepContext ctx(label, step.scope, input.state);
    ctx.bind_fold_memo(&folds);
    std::string message = step_view(input.message, run).dump();
    int32_t action = SB_ACTION_CONTINUE;

    auto started = Clock::now();
    sb_status status = step.instance->on_message(ctx, message, action);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    StepTrace trace{i, step.plugin, "", status, "", micros};

    if (status != SB_OK) {
      std::string why = ctx.error().empty() ? "status " + std::to_string(status) : ctx.error();
      if (!ctx.rejection().empty()) why += " (" + ctx.rejection() + ")";
      trace.action = "error";
      trace.detail = "failed: " + why + "; on_error=" + on_error_name(step.on_error);
      run.steps.push_back(std::move(trace));
      if (step.on_error == OnError::Continue) continue;
      if (step.on_error == OnError::Handoff) {
        run.assignment = Assignment{pipeline_.handoff_queue, SB_PRIORITY_NORMAL,
                                    "step " + std::to_string(i) + " (" + step.plugin + ") failed: " + why, i};
      }
      run.decided_by = i;
      return run;
    }

    // Replies from the step that hands off are allowed (the "đã chuyển" notice);
    // from then on a human controls the conversation.
    trace.detail = describe(ctx.effects(), human);
    bool assigned = ctx.effects().assignment.has_value();
    merge(ctx.effects(), i, human, run);
    human = human || assigned;
    bool stop = action == SB_ACTION_STOP;
    trace.action = stop ? "stop" : "continue";
    run.steps.push_back(std::move(trace));
    if (stop) {
      run.decided_by = i;
      return run;
    }
  }
  return run;
}

}  // namespace switchboard::pipeline
