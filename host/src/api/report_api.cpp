// Report statistics and formats over the store's counts (store::ReportData).
#include "api/report_api.hpp"

#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <switchboard/calendar/business_calendar.hpp>
#include <switchboard/calendar/time_zone.hpp>

#include "api/api_response.hpp"
#include "api/csv_table.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

constexpr int64_t kDaySeconds = 86400;
constexpr int64_t kDayMs = kDaySeconds * 1000;
constexpr double kAnsweredBenchmark = 0.9;  // the health-care benchmark the issue quotes
constexpr int kDefaultDays = 7;
constexpr int kMaxDays = 366;

std::string date_text(int64_t day) {
  std::time_t seconds = static_cast<std::time_t>(day * kDaySeconds);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

// Nearest-rank percentile (p in (0, 1]) of sorted values; 0 when empty.
int64_t percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

struct Range {
  int64_t first_day = 0;  // local days since 1970-01-01, inclusive
  int64_t last_day = 0;
  std::string error;
};

Range parse_range(const httplib::Request& q, const calendar::TimeZone& zone, int64_t now_ms) {
  int64_t now_s = now_ms / 1000;
  int64_t today = (now_s + zone.offset_at(now_s)) / kDaySeconds;
  Range range{today - (kDefaultDays - 1), today, ""};
  try {
    if (q.has_param("to")) range.last_day = calendar::parse_date(q.get_param_value("to"), "to");
    range.first_day = q.has_param("from") ? calendar::parse_date(q.get_param_value("from"), "from")
                                          : range.last_day - (kDefaultDays - 1);
  } catch (const std::exception&) {
    range.error = "from and to must be dates like 2026-11-23";
    return range;
  }
  if (range.first_day > range.last_day) range.error = "from must not be after to";
  if (range.last_day - range.first_day >= kMaxDays) range.error = "at most 366 days at once";
  return range;
}

// {asked, answered, average, distribution: {"1": n, … "5": n}}: every rating
// present even at zero, so charts keep their five bars.
json csat_json(const store::ReportData& d) {
  json distribution = json::object();
  for (int rating = 1; rating <= 5; ++rating) distribution[std::to_string(rating)] = 0;
  int64_t answered = 0, sum = 0;
  for (const auto& row : d.csat) {
    distribution[row.name] = row.count;
    answered += row.count;
    sum += row.count * std::stoll(row.name);
  }
  double average = answered == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(answered);
  return {{"asked", d.csat_asked}, {"answered", answered}, {"average", average}, {"distribution", distribution}};
}

// Whose report it is: everything (admins) or their departments (leads).
struct Scope {
  bool departments_only = false;
  std::vector<std::string> departments;
};

// The sections of the whole-desk report that are not per department: a
// department report leaves them out (and lists them in "scope.omitted").
constexpr const char* kDeskWideSections[] = {"conversations", "per_day", "bot_vs_human", "top_intents", "faq_misses"};

json build_report(const store::ReportData& d, const Range& range, const ReportSettings& settings, int64_t now_ms,
                  const Scope& scope) {
  json per_day = json::array();
  for (const auto& row : d.per_day) {
    auto channel = settings.inbox_channels.find(row.inbox);
    per_day.push_back({{"day", row.day},
                       {"inbox", row.inbox},
                       {"channel", channel == settings.inbox_channels.end() ? "" : channel->second},
                       {"count", row.count}});
  }
  // First response and the 24 h share, over the conversations a person was needed in.
  std::vector<int64_t> waits;
  int64_t within_24h = 0;
  for (const auto& h : d.human) {
    if (h.first_reply_at == 0) continue;
    waits.push_back(h.first_reply_at - h.waiting_since);
    if (h.first_reply_at - h.waiting_since <= kDayMs) ++within_24h;
  }
  std::sort(waits.begin(), waits.end());
  int64_t total = static_cast<int64_t>(d.human.size());
  auto counts = [](const std::vector<store::NamedCount>& list) {
    json out = json::array();
    for (const auto& item : list) out.push_back({{"name", item.name}, {"count", item.count}});
    return out;
  };
  json queues = json::array();
  for (const auto& row : d.queues) {
    queues.push_back(
        {{"queue", row.queue}, {"handed_off", row.handed_off}, {"waiting", row.waiting}, {"assigned", row.assigned}});
  }
  json agents = json::array();
  for (const auto& row : d.agents) {
    agents.push_back({{"agent", row.agent}, {"replies", row.replies}, {"conversations", row.conversations}});
  }
  json breaches = json::array();
  for (const auto& row : d.breaches)
    breaches.push_back({{"queue", row.queue}, {"kind", row.kind}, {"count", row.count}});
  int64_t handed_off = std::min(total, d.conversations);
  json report = {{"from", date_text(range.first_day)},
                 {"to", date_text(range.last_day)},
                 {"timezone", settings.timezone},
                 {"generated_at", now_ms},
                 {"conversations", d.conversations},
                 {"per_day", per_day},
                 {"first_response",
                  {{"basis", "wall_clock"},
                   {"answered", static_cast<int64_t>(waits.size())},
                   {"median_ms", percentile(waits, 0.5)},
                   {"p90_ms", percentile(waits, 0.9)}}},
                 {"answered_within_24h",
                  {{"answered", within_24h},
                   {"total", total},
                   {"share", total == 0 ? 0.0 : static_cast<double>(within_24h) / static_cast<double>(total)},
                   {"benchmark", kAnsweredBenchmark}}},
                 {"bot_vs_human", {{"bot_resolved", d.conversations - handed_off}, {"handed_off", handed_off}}},
                 {"top_intents", counts(d.intents)},
                 {"faq_misses", counts(d.faq_misses)},
                 {"departments", queues},
                 {"agents", agents},
                 {"sla_breaches", breaches},
                 {"csat", csat_json(d)}};
  if (!scope.departments_only) {
    report["scope"] = {{"kind", "all"}};
    return report;
  }
  json omitted = json::array();
  for (const char* key : kDeskWideSections) {
    report.erase(key);
    omitted.push_back(key);
  }
  report["scope"] = {{"kind", "departments"}, {"departments", scope.departments}, {"omitted", omitted}};
  return report;
}

std::string number(const json& value) {
  if (value.is_number_float()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", value.get<double>());
    return text;
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Long format: one value per line (section, key, detail, value), so every
// chart of the page is one filter away in a spreadsheet.
std::string to_csv(const json& report) {
  CsvTable table;
  table.row({"section", "key", "detail", "value"});
  table.row({"range", report["from"], report["to"], report["timezone"]});
  const json& scope = report["scope"];
  table.row({"scope", scope["kind"], "", ""});
  if (scope["kind"] == "departments") {
    for (const auto& id : scope["departments"]) table.row({"scope", "department", id, ""});
  }
  bool whole = scope["kind"] == "all";
  if (whole) {
    table.row({"conversations", "", "", number(report["conversations"])});
    for (const auto& row : report["per_day"]) table.row({"per_day", row["day"], row["inbox"], number(row["count"])});
  }
  for (const char* key : {"median_ms", "p90_ms", "answered"}) {
    table.row({"first_response", key, "wall_clock", number(report["first_response"][key])});
  }
  for (const char* key : {"answered", "total", "share", "benchmark"}) {
    table.row({"answered_within_24h", key, "", number(report["answered_within_24h"][key])});
  }
  if (whole) {
    for (const char* key : {"bot_resolved", "handed_off"}) {
      table.row({"bot_vs_human", key, "", number(report["bot_vs_human"][key])});
    }
    for (const auto& row : report["top_intents"]) table.row({"top_intents", row["name"], "", number(row["count"])});
    for (const auto& row : report["faq_misses"]) table.row({"faq_misses", row["name"], "", number(row["count"])});
  }
  for (const auto& row : report["departments"]) {
    for (const char* key : {"handed_off", "waiting", "assigned"}) {
      table.row({"departments", row["queue"], key, number(row[key])});
    }
  }
  for (const auto& row : report["agents"]) {
    for (const char* key : {"replies", "conversations"}) table.row({"agents", row["agent"], key, number(row[key])});
  }
  for (const auto& row : report["sla_breaches"]) {
    table.row({"sla_breaches", row["queue"], row["kind"], number(row["count"])});
  }
  for (const auto& [rating, count] : report["csat"]["distribution"].items()) {
    table.row({"csat", rating, "", number(count)});
  }
  for (const char* key : {"asked", "answered", "average"}) table.row({"csat", key, "", number(report["csat"][key])});
  return table.text();
}

}  // namespace

http::RouteInstaller report_api_routes(team::Desk& desk, ReportSettingsSource settings) {
  return [&desk, settings](httplib::Server& server) {
    auto handler = [&desk, settings](const team::Principal& who, const httplib::Request& q, httplib::Response& r) {
      // Admins: everything. Leads: their departments. Agents: none.
      Scope scope;
      if (who.role == config::AgentRole::Lead) {
        scope.departments_only = true;
        scope.departments = who.departments;
      } else if (!who.admin()) {
        return send_error(r, 403, "admins and department leads only");
      }
      ReportSettings current = settings ? settings() : ReportSettings{};
      calendar::TimeZone zone = calendar::TimeZone::fixed(0, "UTC");
      try {
        zone = calendar::TimeZone::load(current.timezone);
      } catch (const calendar::TimeZoneError&) {
        current.timezone = "UTC";  // the config check refuses unknown zones; this is the tzdata-gone fallback
      }
      int64_t now = store::now_ms();
      Range range = parse_range(q, zone, now);
      if (!range.error.empty()) return send_error(r, 400, range.error);
      store::ReportQuery query;
      query.from = zone.to_utc(range.first_day * kDaySeconds) * 1000;
      query.to = zone.to_utc((range.last_day + 1) * kDaySeconds) * 1000;
      query.utc_offset_s = zone.offset_at(query.from / 1000);
      if (scope.departments_only) query.departments = json(scope.departments).dump();
      store::ReportData data = desk.store().report(query);
      if (scope.departments_only) {
        // Per-agent load: only the agents of the lead's departments.
        auto team = desk.team();
        auto member = [&](const std::string& agent) {
          const config::AgentConfig* a = team ? team->agent(agent) : nullptr;
          if (a == nullptr) return false;
          return std::any_of(scope.departments.begin(), scope.departments.end(),
                             [&](const std::string& d) { return a->member_of(d); });
        };
        data.agents.erase(std::remove_if(data.agents.begin(), data.agents.end(),
                                         [&](const store::AgentActivity& row) { return !member(row.agent); }),
                          data.agents.end());
      }
      json report = build_report(data, range, current, now, scope);
      if (q.get_param_value("format") != "csv") return send_json(r, 200, report);
      r.set_header("Cache-Control", "no-store");
      r.set_header("X-Content-Type-Options", "nosniff");
      r.set_header("Content-Disposition", "attachment; filename=\"switchboard-report-" +
                                              report["from"].get<std::string>() + "-" +
                                              report["to"].get<std::string>() + ".csv\"");
      r.set_content(to_csv(report), "text/csv; charset=utf-8");
    };
    server.Get("/api/v1/reports", authed(desk, handler, false));
    // The inboxes and their channel plugins: the inbox's channel icons.
    server.Get("/api/v1/inboxes",
               authed(desk, [settings](const team::Principal&, const httplib::Request&, httplib::Response& r) {
                 json out = json::array();
                 for (const auto& [id, channel] : (settings ? settings() : ReportSettings{}).inbox_channels) {
                   out.push_back({{"id", id}, {"channel", channel}});
                 }
                 send_json(r, 200, {{"inboxes", out}});
               }));
  };
}

}  // namespace switchboard::api
