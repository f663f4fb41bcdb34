#include "tests/livefuzz/oracle.h"

namespace ib::livefuzz {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kServerError:
      return "5xx";
    case Verdict::kNoResponse:
      return "no response";
    case Verdict::kLeak:
      return "leak";
  }
  return "?";
}

Verdict Judge(const Fuzzed& f, const Response& r, std::string* detail) {
  if (r.status == 0) {
    *detail = r.error;
    return Verdict::kNoResponse;
  }
  for (const std::string& secret : f.forbidden) {
    if (r.body.find(secret) != std::string::npos || r.raw_head.find(secret) != std::string::npos) {
      *detail = secret;
      return Verdict::kLeak;
    }
  }
  if (r.status >= 500) {
    return Verdict::kServerError;
  }
  return Verdict::kOk;
}

Request Minimise(Request r, const std::function<bool(const Request&)>& still_fails) {
  bool shrunk = true;
  while (shrunk) {
    shrunk = false;
    for (size_t i = 0; i < r.params.size(); ++i) {
      Request t = r;
      t.params.erase(t.params.begin() + static_cast<long>(i));
      if (still_fails(t)) {
        r = t;
        shrunk = true;
        --i;
      }
    }
    for (size_t i = 0; i < r.headers.size(); ++i) {
      Request t = r;
      t.headers.erase(t.headers.begin() + static_cast<long>(i));
      if (still_fails(t)) {
        r = t;
        shrunk = true;
        --i;
      }
    }
    if (!r.raw_query_suffix.empty()) {
      Request t = r;
      t.raw_query_suffix.clear();
      if (still_fails(t)) {
        r = t;
        shrunk = true;
      }
    }
    // Halve the body from either end while it still fails.
    for (size_t cut = r.body.size() / 2; cut > 0; cut /= 2) {
      Request head = r;
      head.body.resize(r.body.size() - cut);
      Request tail = r;
      tail.body.erase(0, cut);
      if (still_fails(head)) {
        r = head;
        shrunk = true;
      } else if (still_fails(tail)) {
        r = tail;
        shrunk = true;
      }
    }
  }
  return r;
}

}  // namespace ib::livefuzz
