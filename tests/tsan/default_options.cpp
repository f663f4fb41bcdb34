// Built into the server, unit_tests and e2e_tests of the ThreadSanitizer build only
// (CMakeLists.txt, IB_TSAN): the runtime reads these options before TSAN_OPTIONS, so every way of
// running the tests (ctest, tests/run_all.sh, the binaries by hand, the server spawned by the e2e
// harness) stops at the first data race with exit code 66 and uses the checked-in suppressions.
// TSAN_OPTIONS in the environment still overrides any of them.

extern "C" const char* __tsan_default_options() {
  return "halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=" IB_TSAN_SUPPRESSIONS;
}
