// The host's own config sections (top level, service, inbox, channel block,
// pipeline, step) described with the same field descriptors plugins use, so
// one validator (sdk::apply_config_schema) checks both, and each host default
// is written once, here, where docs can be generated from.
#pragma once

#include "config/diagnostics.hpp"

#include <switchboard/plugin.h>

#include <nlohmann/json.hpp>

namespace switchboard::config {

enum class Section { TopLevel, Service, Inbox, Channel, Pipeline, Step, Department, Sla, Agent, Csat, Canned };

// The section's fields as a descriptor (kind 0: it is no plugin). Static
// storage; read-only; any thread.
const sb_plugin_v1& section_descriptor(Section section);

// Checks `object` in place: unknown keys, types, required keys; fills
// defaults. Returns false, having reported it, when `object` is not an object.
bool apply_section_schema(Section section, nlohmann::json& object, const JsonPointer& at, Diagnostics& errors);

}  // namespace switchboard::config
