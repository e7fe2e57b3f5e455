// The `switchboard` command line: run, check, plugins, try.
// Exit codes: 0 success, 1 failure at run time, 2 bad usage or invalid config.
#pragma once

namespace switchboard::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int main(int argc, char** argv);

}  // namespace switchboard::cli
