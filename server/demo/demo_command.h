// RunDemo: `interviewbase demo --db DB`. Starts the App in-process on a loopback port and
// fills DB with the demo plan (server/demo/demo_plan.h) through the HTTP API, as each user
// with their own token, so every guard and hook runs exactly as for a real client; then stops
// it and prints each user's email and password. On a database that already holds a finished
// demo it writes nothing and only prints them. Refused (exit 1, nothing written) while a
// server holds DB, and on a database holding anything else (other users, rows or objects, or
// an interrupted demo).
#pragma once

#include "server/config.h"

namespace ib {

int RunDemo(const Invocation& inv);

}  // namespace ib
