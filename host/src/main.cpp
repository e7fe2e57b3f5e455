// Entry point: everything happens in cli/.
#include "cli/cli.hpp"

int main(int argc, char** argv) { return switchboard::cli::main(argc, argv); }
