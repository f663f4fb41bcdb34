// Gen: the context every request shape draws from: the seeded Rng, the World, who is asking
// (and so which secrets the request may carry: only the asker's own canary, email, password
// and refresh token), the public schema the server serves, and pools of hostile values.
// Shapes (shapes_*.cpp) build a well-formed supabase-js request; Mutate() then bends it.
#pragma once

#include <string>
#include <vector>

#include "tests/livefuzz/request.h"
#include "tests/livefuzz/rng.h"
#include "tests/livefuzz/world.h"

namespace ib::livefuzz {

enum class Who { kUserA, kUserB, kAnon, kGhost, kBadToken, kNoKey };
const char* WhoName(Who who);

// A column's kind: t text, u uuid, i integer, n numeric, b boolean, j jsonb, s timestamptz,
// d date, a text[].
struct Column {
  const char* name;
  char kind;
};
struct Table {
  const char* name;
  std::vector<Column> columns;
  std::vector<const char*> children;  // tables embeddable below this one
};
const std::vector<Table>& PublicTables();

struct Gen {
  Rng& rng;
  const World& world;
  Who who;
  const User* self;   // the asker when a user, else nullptr
  const User* other;  // the user whose data must stay invisible (A's for B, B's for A)

  // Any value: numbers, dates, uuids (own, the other user's, ghost), hostile strings, the
  // asker's own canary.
  std::string Value();
  // A value that fits `kind` most of the time, anything otherwise.
  std::string ValueFor(char kind);
  // A uuid: one of the asker's rows, one of the other user's rows, the other user's id, ...
  std::string Id();
  std::string UserId();  // the asker's, the other's, the ghost's or junk
  const Table& AnyTable();
  std::string TableName();  // mostly public tables, sometimes hidden or unknown ones
  const Column& AnyColumn(const Table& t);
  std::string ColumnName(const Table& t);  // mostly real, sometimes unknown or hostile
  std::string JsonValueFor(char kind);     // a JSON literal for a body
  std::string Word();                      // a short identifier-ish token
  std::string Hostile();                   // a string built to break parsers
};

// The headers supabase-js sends for `who` (apikey, Authorization, X-Client-Info).
void AddAuthHeaders(Gen& g, Request& r);

// Shape families; each returns a request as supabase-js 2.x would send it.
Request RestRead(Gen& g);
Request RestWrite(Gen& g);
Request RestRpc(Gen& g);
Request AuthCall(Gen& g);
Request StorageCall(Gen& g);
Request MiscCall(Gen& g);

// Applies 0-4 random mutations to method, path, query, headers and body.
void Mutate(Gen& g, Request& r);

}  // namespace ib::livefuzz
