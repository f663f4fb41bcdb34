// The doctest entry point shared by the unit and e2e test executables. SIGPIPE is ignored, as
// the server ignores it: a test client writing to a connection the server has closed (after a
// 413, say) gets an error from that write instead of killing the whole test run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  return doctest::Context(argc, argv).run();
}
