// The OpenAPI 2.0 (Swagger) document PostgREST serves at `GET /rest/v1/`: one path and one
// definition per exposed table, one path per RPC, generated from the catalog and the RPC
// registry. Pure function of its inputs.
#pragma once

#include <string>

#include "storage/catalog.h"

namespace ib::rest {

// `base_path` is the path the API is served under ("/rest/v1"); `host` is host:port.
std::string BuildOpenApi(const storage::Catalog& catalog, const std::string& host,
                         const std::string& version);

}  // namespace ib::rest
