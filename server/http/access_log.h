// The access log: one line per request on standard error, in text or JSON (--log-format),
// written with one write() so lines from different threads never interleave. A line carries
// the time (UTC), request id, method, service, route pattern, status, bytes sent, duration and
// the principal's role (and user id); never the raw path, a query value, a header or a body,
// so no token, password or key reaches the log. docs/limits.md lists the fields.
#pragma once

#include <string>

#include "server/http/access_record.h"

namespace ib::http {

enum class LogFormat { kText, kJson };

// The line for `record` (ending in '\n'), `duration_us` after its start.
std::string FormatAccessLine(const AccessRecord& record, long long duration_us, LogFormat format);

// Writes FormatAccessLine(record, now - record.start) to standard error.
void WriteAccessLine(const AccessRecord& record, LogFormat format);

}  // namespace ib::http
