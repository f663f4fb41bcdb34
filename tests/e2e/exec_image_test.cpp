// The harness's own child processes (tests/e2e/support/exec_image.h): what the child execs is
// what the parent prepared, the program found in PATH, the extra environment replacing the
// inherited one.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "tests/e2e/support/server_process.h"

using ib::e2e::RunProgram;

TEST_CASE("harness: a child runs a program from PATH with the extra environment over its own") {
  const auto got = RunProgram({"sh", "-c", "printf '%s|%s' \"$HOME\" \"$IB_HARNESS_EXTRA\""},
                              {"HOME=/nowhere", "IB_HARNESS_EXTRA=yes"});
  CHECK(got.status == 0);
  CHECK(got.output == "/nowhere|yes");
  const auto inherited = RunProgram({"sh", "-c", "printf '%s' \"$PATH\""});
  CHECK(inherited.output == std::string(std::getenv("PATH")));
}

TEST_CASE("harness: a program that cannot be run makes the child exit 127") {
  CHECK(RunProgram({"ib-no-such-program-anywhere"}).status == 127);
  CHECK(RunProgram({"/nonexistent/dir/program"}).status == 127);
}
