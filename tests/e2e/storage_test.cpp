// /storage/v1 over HTTP against the real binary (docs/wire.md, docs/guards.md): what
// supabase-js's storage calls send and read, buckets allowed and refused, the <uid>/ rule of
// interview-audio with two users and anon, public buckets, and bearer handling. Transfers (ranges,
// big files, 413, signed URLs, cut-short uploads, the auth-user cascade) are in
// storage_transfer_test.cpp.
#include <doctest/doctest.h>

#include "tests/e2e/support/storage_client.h"

using ib::e2e::DbScalar;
using ib::e2e::EncodeUri;
using ib::e2e::kAudioBucket;
using ib::e2e::MakeUser;
using ib::e2e::MultipartBody;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using ib::e2e::Storage;
using ib::e2e::StorageError;
using ib::e2e::StoredRows;
using nlohmann::json;

TEST_CASE("storage: the supabase-js storage calls") {
  Storage st;
  // 53: create a bucket with the service key; again -> 409.
  Reply created = st.Call(st.S(), "POST", "/bucket", R"({"id":"b","name":"b","public":true})");
  CHECK(created.status == 200);
  CHECK(created.json() == json({{"name", "b"}}));
  Reply again = st.Call(st.S(), "POST", "/bucket", R"({"id":"b","name":"b","public":true})");
  CHECK(again.status == 400);
  CHECK(again.json()["statusCode"] == "409");
  CHECK(again.json()["code"] == "BucketAlreadyExists");
  CHECK(again.json()["error"] == "Duplicate");

  // 54: raw upload, duplicate without upsert, then with upsert.
  Reply up = st.Upload(st.S(), "b", "dir/a%20b.txt", "hello", "text/plain");
  CHECK(up.status == 200);
  CHECK(up.json()["Key"] == "b/dir/a b.txt");
  CHECK(up.json()["Id"].get<std::string>().size() == 36);
  Reply dup =
      st.Upload(st.S(), "b", "dir/a%20b.txt", "hello", "text/plain", {{"x-upsert", "false"}});
  CHECK(dup.status == 400);
  CHECK(dup.json()["statusCode"] == "409");
  CHECK(dup.json()["code"] == "KeyAlreadyExists");
  CHECK(dup.json()["message"] == "The resource already exists");
  Reply upsert =
      st.Upload(st.S(), "b", "dir/a%20b.txt", "hello", "text/plain", {{"x-upsert", "true"}});
  CHECK(upsert.status == 200);
  CHECK(upsert.json()["Id"] == up.json()["Id"]);

  // 55: multipart with an empty field name keeps that part's Content-Type.
  Reply multi = st.Call(st.S(), "POST", "/object/b/multi.webm",
                        MultipartBody("XyZ", "opus bytes", "audio/webm"),
                        {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  CHECK(multi.status == 200);
  Reply multi_get = st.Download(st.A(), "b", "multi.webm");
  CHECK(multi_get.body == "opus bytes");
  CHECK(multi_get.header("Content-Type") == "audio/webm");
  CHECK(multi_get.header("Cache-Control") == "max-age=3600");

  // 56: download; a missing key -> 400 with statusCode "404" NoSuchKey.
  Reply got = st.Download(st.A(), "b", "dir/a%20b.txt");
  CHECK(got.status == 200);
  CHECK(got.body == "hello");
  CHECK(got.header("Content-Type") == "text/plain");
  Reply missing = st.Download(st.A(), "b", "dir/nope.txt");
  CHECK(missing.status == 400);
  CHECK(missing.json() == json({{"statusCode", "404"},
                                {"code", "NoSuchKey"},
                                {"error", "not_found"},
                                {"message", "Object not found"}}));

  // 57: list the root (a folder entry) and the folder (the file with its size).
  const std::string list_body =
      R"({"prefix":"","limit":100,"offset":0,"sortBy":{"column":"name","order":"asc"}})";
  json root = st.Call(st.A(), "POST", "/object/list/b", list_body).json();
  REQUIRE(root.size() == 2);
  CHECK(root[0]["name"] == "dir");
  CHECK(root[0]["id"].is_null());
  CHECK(root[1]["name"] == "multi.webm");
  json in_dir =
      st.Call(st.A(), "POST", "/object/list/b",
              R"({"prefix":"dir","limit":100,"offset":0,"sortBy":{"column":"name","order":"asc"}})")
          .json();
  REQUIRE(in_dir.size() == 1);
  CHECK(in_dir[0]["name"] == "a b.txt");
  CHECK(in_dir[0]["metadata"]["size"] == 5);
  CHECK(in_dir[0]["metadata"]["mimetype"] == "text/plain");

  // 58: signed URL, raw path; fetched (encoded) without any auth.
  Reply signed_url = st.Call(st.S(), "POST", "/object/sign/b/dir/a%20b.txt", R"({"expiresIn":60})");
  REQUIRE(signed_url.status == 200);
  std::string url = signed_url.json()["signedURL"];
  CHECK(url.rfind("/object/sign/b/dir/a b.txt?token=", 0) == 0);
  Reply fetched = st.server.Send("GET", "/storage/v1" + EncodeUri(url), "");
  CHECK(fetched.status == 200);
  CHECK(fetched.body == "hello");

  // 59: public URL of a public bucket without auth; a private bucket answers not found.
  CHECK(st.server.Send("GET", "/storage/v1/object/public/b/dir/a%20b.txt", "").body == "hello");
  REQUIRE(st.Upload(st.S(), kAudioBucket, "svc/x.txt", "private").status == 200);
  Reply hidden =
      st.server.Send("GET", "/storage/v1/object/public/" + kAudioBucket + "/svc/x.txt", "");
  CHECK(hidden.status == 400);
  CHECK(hidden.json()["statusCode"] == "404");

  // 60: remove one existing and one missing key -> one deleted row.
  Reply removed = st.Call(st.S(), "DELETE", "/object/b", R"({"prefixes":["dir/a b.txt","nope"]})");
  CHECK(removed.status == 200);
  REQUIRE(removed.json().size() == 1);
  CHECK(removed.json()[0]["name"] == "dir/a b.txt");
  CHECK(removed.json()[0]["bucket_id"] == "b");
  CHECK(st.Download(st.S(), "b", "dir/a%20b.txt").json()["code"] == "NoSuchKey");
}

TEST_CASE("storage: buckets allowed and refused") {
  Storage st;
  const std::string user = ServerProcess::Token("authenticated", MakeUser(st.server, "u@x.io"));
  // interview-audio exists from the first start, private.
  Reply audio = st.Call(st.S(), "GET", "/bucket/" + kAudioBucket);
  REQUIRE(audio.status == 200);
  CHECK(audio.json()["public"] == false);
  CHECK(audio.json()["type"] == "STANDARD");
  CHECK(audio.json()["file_size_limit"].is_null());

  // Create: service only; unit strings; invalid names.
  CHECK(StorageError(st.Call(user, "POST", "/bucket", R"({"id":"mine"})")) ==
        "400 403 AccessDenied");
  CHECK(StorageError(st.Call(st.A(), "POST", "/bucket", R"({"id":"mine"})")) ==
        "400 403 AccessDenied");
  CHECK(st.Call(user, "POST", "/bucket", R"({"id":"mine"})").json()["message"] ==
        "new row violates row-level security policy");
  CHECK(
      st.Call(
            st.S(), "POST", "/bucket",
            R"({"id":"avatars","name":"avatars","public":true,"file_size_limit":"1MB","allowed_mime_types":["image/*"]})")
          .status == 200);
  CHECK(st.Call(st.S(), "POST", "/bucket",
                R"({"id":"docs","name":"docs","public":false,"file_size_limit":2048})")
            .status == 200);
  CHECK(StorageError(st.Call(st.S(), "POST", "/bucket", R"({"id":"a/b","name":"a/b"})")) ==
        "400 400 InvalidBucketName");
  CHECK(StorageError(st.Call(st.S(), "POST", "/bucket", R"({"id":" pad","name":" pad"})")) ==
        "400 400 InvalidBucketName");
  CHECK(StorageError(st.Call(st.S(), "POST", "/bucket", "{not json")) == "400 400 InvalidRequest");
  json avatars = st.Call(st.S(), "GET", "/bucket/avatars").json();
  CHECK(avatars["file_size_limit"] == 1000000);
  CHECK(avatars["allowed_mime_types"] == json::array({"image/*"}));

  // List and get: what the caller may see.
  auto ids = [&](const std::string& token) {
    std::vector<std::string> out;
    for (const auto& b : st.Call(token, "GET", "/bucket").json()) out.push_back(b["id"]);
    return out;
  };
  CHECK(ids(st.S()) == std::vector<std::string>{"avatars", "docs", kAudioBucket});
  CHECK(ids(user) == std::vector<std::string>{"avatars", kAudioBucket});
  CHECK(ids(st.A()) == std::vector<std::string>{"avatars"});
  CHECK(st.Call(st.S(), "GET", "/bucket?limit=1&offset=1").json()[0]["id"] == "docs");
  CHECK(st.Call(st.S(), "GET", "/bucket?sortColumn=name&sortOrder=desc").json()[0]["id"] ==
        kAudioBucket);
  CHECK(StorageError(st.Call(user, "GET", "/bucket/docs")) == "400 404 NoSuchBucket");
  CHECK(StorageError(st.Call(st.S(), "GET", "/bucket/nosuch")) == "400 404 NoSuchBucket");

  // Bucket limits and types apply to uploads.
  CHECK(StorageError(st.Upload(st.S(), "docs", "big.txt", std::string(2049, 'x'))) ==
        "400 413 EntityTooLarge");
  CHECK(st.Upload(st.S(), "docs", "ok.txt", std::string(2048, 'x')).status == 200);
  CHECK(StorageError(st.Upload(st.S(), "avatars", "a.txt", "x", "text/plain")) ==
        "400 415 InvalidMimeType");
  CHECK(st.Upload(st.S(), "avatars", "a.png", "png", "image/png").status == 200);

  // Update: service only.
  CHECK(StorageError(st.Call(user, "PUT", "/bucket/docs", R"({"public":true})")) ==
        "400 403 AccessDenied");
  Reply updated =
      st.Call(st.S(), "PUT", "/bucket/docs", R"({"public":true,"file_size_limit":null})");
  CHECK(updated.status == 200);
  CHECK(updated.json()["message"] == "Successfully updated");
  json docs = st.Call(st.A(), "GET", "/bucket/docs").json();
  CHECK(docs["public"] == true);
  CHECK(docs["file_size_limit"].is_null());
  CHECK(StorageError(st.Call(st.S(), "PUT", "/bucket/nosuch", R"({"public":true})")) ==
        "400 404 NoSuchBucket");

  // Delete refuses a non-empty bucket; empty, then delete.
  Reply busy = st.Call(st.S(), "DELETE", "/bucket/docs", "{}");
  CHECK(StorageError(busy) == "400 409 ResourceNotEmpty");
  CHECK(busy.json()["message"] == "The bucket you tried to delete is not empty");
  CHECK(StorageError(st.Call(user, "POST", "/bucket/docs/empty", "{}")) == "400 403 AccessDenied");
  CHECK(StorageError(st.Call(user, "DELETE", "/bucket/docs", "{}")) == "400 403 AccessDenied");
  CHECK(st.Call(st.S(), "POST", "/bucket/docs/empty", "{}").status == 200);
  CHECK(DbScalar(st.server.db_path(),
                 "SELECT count(*) FROM storage_objects WHERE bucket_id='docs'") == 0);
  CHECK(st.Call(st.S(), "DELETE", "/bucket/docs", "{}").json()["message"] ==
        "Successfully deleted");
  CHECK(StorageError(st.Call(st.S(), "GET", "/bucket/docs")) == "400 404 NoSuchBucket");
  CHECK(StorageError(st.Call(st.S(), "DELETE", "/bucket/docs", "{}")) == "400 404 NoSuchBucket");
}

TEST_CASE("storage: interview-audio - users reach only <uid>/, anon nothing") {
  Storage st;
  const std::string a = MakeUser(st.server, "alice@x.io");
  const std::string b = MakeUser(st.server, "bob@x.io");
  const std::string ta = ServerProcess::Token("authenticated", a);
  const std::string tb = ServerProcess::Token("authenticated", b);
  const std::string mine = a + "/q1.webm";

  // Upload: own folder yes; someone else's folder, the root, anon: refused, nothing stored.
  Reply up = st.Upload(ta, kAudioBucket, mine, "alice audio", "audio/webm");
  REQUIRE(up.status == 200);
  CHECK(up.json()["Key"] == kAudioBucket + "/" + mine);
  const int64_t stored = StoredRows(st.server);
  Reply denied = st.Upload(ta, kAudioBucket, b + "/q1.webm", "x", "audio/webm");
  CHECK(StorageError(denied) == "400 403 AccessDenied");
  CHECK(denied.json()["message"] == "new row violates row-level security policy");
  CHECK(StorageError(st.Upload(ta, kAudioBucket, "root.webm", "x")) == "400 403 AccessDenied");
  CHECK(StorageError(st.Upload(st.A(), kAudioBucket, a + "/anon.webm", "x")) ==
        "400 403 AccessDenied");
  CHECK(StorageError(st.Upload(ta, "nosuch", a + "/x.webm", "x")) == "400 404 NoSuchBucket");
  CHECK(StoredRows(st.server) == stored);
  // The owner is recorded.
  CHECK(DbScalar(st.server.db_path(),
                 "SELECT count(*) FROM storage_objects WHERE owner = '" + a + "'") == 1);

  // Read: own yes; other user and anon see "not found" (never an access error).
  CHECK(st.Download(ta, kAudioBucket, mine).body == "alice audio");
  CHECK(StorageError(st.Download(tb, kAudioBucket, mine)) == "400 404 NoSuchKey");
  CHECK(StorageError(st.Download(st.A(), kAudioBucket, mine)) == "400 404 NoSuchBucket");
  CHECK(StorageError(st.Call(ta, "GET", "/object/authenticated/" + kAudioBucket + "/" + mine)) ==
        "ok");
  CHECK(StorageError(st.Call(tb, "GET", "/object/info/" + kAudioBucket + "/" + mine)) ==
        "400 404 NoSuchKey");
  CHECK(st.Call(ta, "GET", "/object/info/" + kAudioBucket + "/" + mine).json()["size"] == 11);
  CHECK(StorageError(st.Call(tb, "POST", "/object/sign/" + kAudioBucket + "/" + mine,
                             R"({"expiresIn":60})")) == "400 404 NoSuchKey");
  CHECK(st.Call(ta, "HEAD", "/object/" + kAudioBucket + "/" + mine).status == 200);
  CHECK(st.Call(tb, "HEAD", "/object/" + kAudioBucket + "/" + mine).status == 400);

  // Overwrite: own with upsert yes; other user's no.
  CHECK(
      st.Upload(ta, kAudioBucket, mine, "take two", "audio/webm", {{"x-upsert", "true"}}).status ==
      200);
  CHECK(st.Call(ta, "PUT", "/object/" + kAudioBucket + "/" + mine, "take three",
                {{"Content-Type", "audio/webm"}})
            .status == 200);
  CHECK(StorageError(st.Upload(tb, kAudioBucket, mine, "hijack", "audio/webm",
                               {{"x-upsert", "true"}})) == "400 403 AccessDenied");
  CHECK(StorageError(st.Call(tb, "PUT", "/object/" + kAudioBucket + "/" + mine, "hijack",
                             {{"Content-Type", "audio/webm"}})) == "400 403 AccessDenied");
  CHECK(st.Download(ta, kAudioBucket, mine).body == "take three");

  // List: each user sees only their folder; anon sees no bucket.
  REQUIRE(st.Upload(tb, kAudioBucket, b + "/q1.webm", "bob audio", "audio/webm").status == 200);
  REQUIRE(st.Upload(st.S(), kAudioBucket, "shared/readme.txt", "svc").status == 200);
  json root_a = st.Call(ta, "POST", "/object/list/" + kAudioBucket, R"({"prefix":""})").json();
  REQUIRE(root_a.size() == 1);
  CHECK(root_a[0]["name"] == a);
  CHECK(root_a[0]["id"].is_null());
  CHECK(st.Call(ta, "POST", "/object/list/" + kAudioBucket, json({{"prefix", b}}).dump()).json() ==
        json::array());
  json in_a =
      st.Call(ta, "POST", "/object/list/" + kAudioBucket, json({{"prefix", a}}).dump()).json();
  REQUIRE(in_a.size() == 1);
  CHECK(in_a[0]["name"] == "q1.webm");
  CHECK(st.Call(st.S(), "POST", "/object/list/" + kAudioBucket, R"({"prefix":""})").json().size() ==
        3);
  CHECK(StorageError(st.Call(st.A(), "POST", "/object/list/" + kAudioBucket, R"({"prefix":""})")) ==
        "400 404 NoSuchBucket");

  // Move/copy across folders: only within one's own.
  CHECK(StorageError(st.Call(ta, "POST", "/object/copy",
                             json({{"bucketId", kAudioBucket},
                                   {"sourceKey", mine},
                                   {"destinationKey", b + "/stolen.webm"}})
                                 .dump())) == "400 403 AccessDenied");
  CHECK(StorageError(st.Call(tb, "POST", "/object/copy",
                             json({{"bucketId", kAudioBucket},
                                   {"sourceKey", mine},
                                   {"destinationKey", b + "/stolen.webm"}})
                                 .dump())) == "400 404 NoSuchKey");
  CHECK(StorageError(st.Call(tb, "POST", "/object/move",
                             json({{"bucketId", kAudioBucket},
                                   {"sourceKey", mine},
                                   {"destinationKey", b + "/stolen.webm"}})
                                 .dump())) == "400 404 NoSuchKey");

  // Delete: other user's and anon's deletes skip silently; own deletes.
  CHECK(st.Call(tb, "DELETE", "/object/" + kAudioBucket, json({{"prefixes", {mine}}}).dump())
            .json() == json::array());
  CHECK(StorageError(st.Call(st.A(), "DELETE", "/object/" + kAudioBucket,
                             json({{"prefixes", {mine}}}).dump())) == "400 404 NoSuchBucket");
  CHECK(st.Download(ta, kAudioBucket, mine).body == "take three");
  json gone =
      st.Call(ta, "DELETE", "/object/" + kAudioBucket, json({{"prefixes", {mine}}}).dump()).json();
  REQUIRE(gone.size() == 1);
  CHECK(gone[0]["owner"] == a);
  CHECK(StorageError(st.Download(ta, kAudioBucket, mine)) == "400 404 NoSuchKey");
}

TEST_CASE("storage: public buckets - anyone reads, only the service writes") {
  Storage st;
  st.MakeBucket("pub", true);
  st.MakeBucket("priv", false);
  const std::string user = ServerProcess::Token("authenticated", MakeUser(st.server, "u@x.io"));
  REQUIRE(st.Upload(st.S(), "pub", "logo.png", "png bytes", "image/png").status == 200);
  REQUIRE(st.Upload(st.S(), "priv", "secret.txt", "secret").status == 200);
  CHECK(st.Download(st.A(), "pub", "logo.png").body == "png bytes");
  CHECK(st.Download(user, "pub", "logo.png").body == "png bytes");
  CHECK(st.server.Send("GET", "/storage/v1/object/public/pub/logo.png", "").body == "png bytes");
  CHECK(st.Call(st.A(), "POST", "/object/list/pub", "{}").json().size() == 1);
  CHECK(StorageError(st.Upload(st.A(), "pub", "x.png", "x", "image/png")) ==
        "400 403 AccessDenied");
  CHECK(StorageError(st.Upload(user, "pub", "x.png", "x", "image/png")) == "400 403 AccessDenied");
  CHECK(st.Call(st.A(), "DELETE", "/object/pub", R"({"prefixes":["logo.png"]})").json() ==
        json::array());
  CHECK(StorageError(st.Download(user, "priv", "secret.txt")) == "400 404 NoSuchBucket");
  CHECK(StorageError(st.server.Send("GET", "/storage/v1/object/public/priv/secret.txt", "")) ==
        "400 404 NoSuchBucket");
  CHECK(st.Download(st.S(), "priv", "secret.txt").body == "secret");
}

TEST_CASE("storage: bearer handling - bad tokens are AccessDenied, plain download reads as anon") {
  Storage st;
  st.MakeBucket("pub", true);
  REQUIRE(st.Upload(st.S(), "pub", "f.txt", "hi").status == 200);
  const std::string expired = ServerProcess::Token("authenticated", "u", -10);
  Reply r = st.Call(expired, "GET", "/bucket");
  CHECK(StorageError(r) == "400 403 AccessDenied");
  CHECK(r.json()["message"] == "jwt expired");
  CHECK(r.json()["error"] == "Unauthorized");
  CHECK(StorageError(st.Call("not-a-jwt", "POST", "/object/list/pub", "{}")) ==
        "400 403 AccessDenied");
  CHECK(StorageError(st.Upload(expired, "pub", "g.txt", "x")) == "400 403 AccessDenied");
  // As in Supabase, the plain download route treats a missing or bad bearer as anon (the
  // gateway's apikey is still required: tests/e2e/storage_gate_test.cpp).
  CHECK(st.Download(expired, "pub", "f.txt").body == "hi");
  CHECK(st.server.Send("GET", "/storage/v1/object/pub/f.txt", "", "", {{"apikey", st.A()}}).body ==
        "hi");
}

TEST_CASE("storage: a refused key with invalid UTF-8 is echoed as valid JSON") {
  Storage st;
  REQUIRE(st.Call(st.S(), "POST", "/bucket", R"({"id":"b","name":"b"})").status == 200);
  // Positive control: a valid key uploads.
  CHECK(st.Upload(st.S(), "b", "caf%C3%A9.txt", "x", "text/plain").status == 200);
  // The bytes 0xFF and a lone continuation byte are no UTF-8: InvalidKey, and the echoed key
  // carries U+FFFD in their place, so strict JSON parsers (nlohmann here) read the body.
  Reply bad = st.Upload(st.S(), "b", "bad%FFkey%80.txt", "x", "text/plain");
  CHECK(bad.status == 400);
  REQUIRE_NOTHROW(bad.json());
  CHECK(bad.json()["error"] == "InvalidKey");
  CHECK(bad.json()["message"] == "Invalid key: bad\xEF\xBF\xBDkey\xEF\xBF\xBD.txt");
}
