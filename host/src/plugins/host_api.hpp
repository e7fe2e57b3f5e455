// The sb_host_v1 table the host gives every plugin at entry.
#pragma once

#include <switchboard/plugin.h>

namespace switchboard::plugins {

// One table for the whole process, static storage; each function forwards to
// the sb_ctx it is given and never lets an exception escape into the plugin.
const sb_host_v1& host_api();

}  // namespace switchboard::plugins
