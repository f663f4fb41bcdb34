// /storage/v1 transfers against the real binary: range reads at the start, middle and end,
// 416, HEAD, ETag; a byte-exact 20 MB round trip (raw and multipart); 413 with nothing stored;
// signed URL expiry; move, copy, info; hostile input; uploads cut short by the client or by a
// SIGKILL; and deleting the auth user deleting their objects.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "tests/e2e/support/storage_client.h"

using ib::e2e::DbExec;
using ib::e2e::DbScalar;
using ib::e2e::DbText;
using ib::e2e::kAudioBucket;
using ib::e2e::MakeUser;
using ib::e2e::MultipartBody;
using ib::e2e::RandomBytes;
using ib::e2e::RawConnection;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using ib::e2e::Storage;
using ib::e2e::StorageError;
using ib::e2e::StoredRows;
using ib::e2e::WaitFor;
using nlohmann::json;

TEST_CASE("storage: downloads - ranges at start, middle and end, 416, HEAD, ETag, headers") {
  Storage st;
  st.MakeBucket("b", true);
  const std::string bytes = RandomBytes(600 * 1024 + 7, 42);  // spans three 256 KiB chunks
  REQUIRE(st.Upload(st.S(), "b", "f.bin", bytes, "application/x-thing",
                    {{"Cache-Control", "max-age=60"}})
              .status == 200);
  auto range = [&](const std::string& spec) {
    return st.Download(st.A(), "b", "f.bin", {{"Range", spec}});
  };
  const auto size = std::to_string(bytes.size());
  Reply start = range("bytes=0-99");
  CHECK(start.status == 206);
  CHECK(start.body == bytes.substr(0, 100));
  CHECK(start.header("Content-Range") == "bytes 0-99/" + size);
  CHECK(start.header("Content-Length") == "100");
  Reply middle = range("bytes=262100-262200");  // across the first chunk boundary
  CHECK(middle.status == 206);
  CHECK(middle.body == bytes.substr(262100, 101));
  Reply tail = range("bytes=-10");
  CHECK(tail.body == bytes.substr(bytes.size() - 10));
  CHECK(tail.header("Content-Range") == "bytes " + std::to_string(bytes.size() - 10) + "-" +
                                            std::to_string(bytes.size() - 1) + "/" + size);
  Reply open_end = range("bytes=600000-");
  CHECK(open_end.body == bytes.substr(600000));
  Reply clamped = range("bytes=614000-999999999");
  CHECK(clamped.body == bytes.substr(614000));
  Reply beyond = range("bytes=" + size + "-");
  CHECK(beyond.status == 416);
  CHECK(beyond.header("Content-Range") == "bytes */" + size);
  CHECK(json::parse(beyond.body)["code"] == "InvalidRange");
  Reply multi = range("bytes=0-1,5-6");  // not honoured: the whole object
  CHECK(multi.status == 200);
  CHECK(multi.body == bytes);
  // A Range header on a missing object still gets the whole error body.
  CHECK(StorageError(st.Download(st.A(), "b", "nope", {{"Range", "bytes=0-3"}})) ==
        "400 404 NoSuchKey");

  Reply whole = st.Download(st.A(), "b", "f.bin");
  CHECK(whole.body == bytes);
  CHECK(whole.header("Content-Type") == "application/x-thing");
  CHECK(whole.header("Cache-Control") == "max-age=60");
  CHECK(whole.header("Accept-Ranges") == "bytes");
  CHECK(whole.header("Last-Modified").find(" GMT") != std::string::npos);
  const std::string etag = whole.header("ETag");
  CHECK(etag.size() == 34);
  CHECK(st.Download(st.A(), "b", "f.bin", {{"If-None-Match", etag}}).status == 304);

  Reply head = st.Call(st.A(), "HEAD", "/object/b/f.bin");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == size);
  CHECK(head.header("ETag") == etag);

  // The download parameter on public and signed URLs.
  Reply attach = st.server.Send("GET", "/storage/v1/object/public/b/f.bin?download=", "");
  CHECK(attach.header("Content-Disposition") == "attachment");
  Reply named = st.server.Send("GET", "/storage/v1/object/public/b/f.bin?download=x.bin", "");
  CHECK(named.header("Content-Disposition") == "attachment; filename=\"x.bin\"");

  // Empty objects download as empty bodies.
  REQUIRE(st.Upload(st.S(), "b", "empty.txt", "").status == 200);
  Reply empty = st.Download(st.A(), "b", "empty.txt");
  CHECK(empty.status == 200);
  CHECK(empty.body.empty());
}

TEST_CASE("storage: a 20 MB random file round-trips byte for byte (raw and multipart)") {
  Storage st;
  st.MakeBucket("big", false);
  const std::string bytes = RandomBytes(20 * 1024 * 1024, 7);
  REQUIRE(st.Upload(st.S(), "big", "raw.bin", bytes, "application/octet-stream").status == 200);
  Reply raw = st.Download(st.S(), "big", "raw.bin");
  CHECK(raw.status == 200);
  CHECK(raw.body.size() == bytes.size());
  CHECK(raw.body == bytes);
  Reply multi = st.Call(st.S(), "POST", "/object/big/multi.bin",
                        MultipartBody("----boundary7MA4YWxk", bytes, "audio/webm"),
                        {{"Content-Type", "multipart/form-data; boundary=----boundary7MA4YWxk"}});
  REQUIRE(multi.status == 200);
  Reply multi_get = st.Download(st.S(), "big", "multi.bin");
  CHECK(multi_get.body == bytes);
  CHECK(multi_get.header("ETag") == raw.header("ETag"));
  // Copy duplicates the bytes; the copy survives removing the original.
  REQUIRE(st.Call(st.S(), "POST", "/object/copy",
                  R"({"bucketId":"big","sourceKey":"raw.bin","destinationKey":"copy.bin"})")
              .status == 200);
  REQUIRE(st.Call(st.S(), "DELETE", "/object/big", R"({"prefixes":["raw.bin"]})").json().size() ==
          1);
  CHECK(st.Download(st.S(), "big", "copy.bin").body == bytes);
}

TEST_CASE("storage: multipart - the first file part is the object, fields around it apply") {
  Storage st;
  st.MakeBucket("b", false);
  auto part = [](const std::string& disposition, const std::string& type, const std::string& body) {
    std::string out = "--B\r\nContent-Disposition: form-data; " + disposition + "\r\n";
    if (!type.empty()) out += "Content-Type: " + type + "\r\n";
    return out + "\r\n" + body + "\r\n";
  };
  const std::string second(200000, 's');
  std::string body = part("name=\"metadata\"", "", R"({"take":2})") +
                     part("name=\"file\"; filename=\"a.webm\"", "audio/webm", "first file") +
                     part("name=\"\"; filename=\"b.bin\"", "application/octet-stream", second) +
                     part("name=\"cacheControl\"", "", "60") + "--B--\r\n";
  Reply up = st.Call(st.S(), "POST", "/object/b/a.webm", body,
                     {{"Content-Type", "multipart/form-data; boundary=B"}});
  REQUIRE(up.status == 200);
  Reply got = st.Download(st.S(), "b", "a.webm");
  CHECK(got.body == "first file");
  CHECK(got.header("Content-Type") == "audio/webm");
  CHECK(got.header("Cache-Control") == "max-age=60");
  CHECK(st.Call(st.S(), "GET", "/object/info/b/a.webm").json()["metadata"] == json({{"take", 2}}));
  // No Content-Type on the part: application/octet-stream.
  REQUIRE(st.Call(st.S(), "POST", "/object/b/untyped",
                  part("name=\"\"; filename=\"blob\"", "", "bytes") + "--B--\r\n",
                  {{"Content-Type", "multipart/form-data; boundary=B"}})
              .status == 200);
  CHECK(st.Download(st.S(), "b", "untyped").header("Content-Type") == "application/octet-stream");
}

TEST_CASE("storage: over the size limit -> 413 and nothing stored") {
  SUBCASE("the default 50 MiB limit") {
    Storage st;
    st.MakeBucket("b", false);
    const std::string over(52428801, 'x');
    Reply raw = st.Upload(st.S(), "b", "big.bin", over, "application/octet-stream");
    CHECK(StorageError(raw) == "400 413 EntityTooLarge");
    CHECK(raw.json()["error"] == "Payload too large");
    Reply multi =
        st.Call(st.S(), "POST", "/object/b/big.bin", MultipartBody("B", over, "audio/webm"),
                {{"Content-Type", "multipart/form-data; boundary=B"}});
    CHECK(StorageError(multi) == "400 413 EntityTooLarge");
    CHECK(StoredRows(st.server) == 0);
    const std::string exact(52428800, 'y');
    CHECK(st.Upload(st.S(), "b", "exact.bin", exact, "application/octet-stream").status == 200);
  }
  SUBCASE("the global flag, and a bucket limit below it") {
    Storage st({"--storage-max-file-size", "1MB"});
    st.MakeBucket("b", false);
    CHECK(StorageError(st.Upload(st.S(), "b", "a.bin", std::string(1000001, 'x'))) ==
          "400 413 EntityTooLarge");
    // Chunked transfer: the size is only known while streaming.
    httplib::Client cli("127.0.0.1", st.server.port());
    httplib::Headers h = {{"apikey", st.S()}, {"Authorization", "Bearer " + st.S()}};
    size_t sent = 0;
    auto res = cli.Post(
        "/storage/v1/object/b/chunked.bin", h,
        [&](size_t, httplib::DataSink& sink) {
          std::string piece(100000, 'z');
          if (sent >= 1500000) {
            sink.done();
            return true;
          }
          sent += piece.size();
          return sink.write(piece.data(), piece.size());
        },
        "application/octet-stream");
    REQUIRE(res);
    CHECK(json::parse(res->body)["code"] == "EntityTooLarge");
    CHECK(StoredRows(st.server) == 0);
    CHECK(st.Upload(st.S(), "b", "a.bin", std::string(1000000, 'x')).status == 200);
    // A bucket may only lower the global limit.
    CHECK(
        StorageError(st.Call(st.S(), "POST", "/bucket", R"({"id":"c","file_size_limit":"2MB"})")) ==
        "400 413 EntityTooLarge");
    st.MakeBucket("small", false, {{"file_size_limit", 10}});
    CHECK(StorageError(st.Upload(st.S(), "small", "a.txt", "eleven char")) ==
          "400 413 EntityTooLarge");
    CHECK(st.Upload(st.S(), "small", "a.txt", "ten chars!").status == 200);
  }
}

TEST_CASE("storage: signed URLs - expiry, wrong object, download, many") {
  Storage st;
  st.MakeBucket("b", false);
  REQUIRE(st.Upload(st.S(), "b", "f.txt", "signed bytes").status == 200);
  REQUIRE(st.Upload(st.S(), "b", "g.txt", "other").status == 200);
  CHECK(StorageError(st.Call(st.S(), "POST", "/object/sign/b/nope.txt", R"({"expiresIn":60})")) ==
        "400 404 NoSuchKey");
  CHECK(StorageError(st.Call(st.S(), "POST", "/object/sign/b/f.txt", "{}")) ==
        "400 400 MissingParameter");
  // One URL to use now and one that expires in a second: a one-second URL used at once can
  // already be past its expiry on a loaded machine (exp is whole seconds from signing).
  std::string url =
      st.Call(st.S(), "POST", "/object/sign/b/f.txt", R"({"expiresIn":60})").json()["signedURL"];
  std::string short_url =
      st.Call(st.S(), "POST", "/object/sign/b/f.txt", R"({"expiresIn":1})").json()["signedURL"];
  CHECK(st.server.Send("GET", "/storage/v1" + url, "").body == "signed bytes");
  CHECK(
      st.server.Send("GET", "/storage/v1" + url + "&download=", "").header("Content-Disposition") ==
      "attachment");
  // The token names one object: not another, not with a bad signature, not without a token.
  std::string token = url.substr(url.find("token=") + 6);
  CHECK(StorageError(st.server.Send("GET", "/storage/v1/object/sign/b/g.txt?token=" + token, "")) ==
        "400 400 InvalidSignature");
  CHECK(StorageError(st.server.Send("GET", "/storage/v1/object/sign/b/f.txt?token=" + token + "x",
                                    "")) == "400 400 InvalidJWT");
  CHECK(StorageError(st.server.Send("GET", "/storage/v1/object/sign/b/f.txt", "")) ==
        "400 400 MissingParameter");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  Reply expired = st.server.Send("GET", "/storage/v1" + short_url, "");
  CHECK(StorageError(expired) == "400 400 InvalidJWT");
  CHECK(expired.json()["message"] == "jwt expired");

  json many =
      st.Call(st.S(), "POST", "/object/sign/b", R"({"expiresIn":60,"paths":["f.txt","nope"]})")
          .json();
  REQUIRE(many.size() == 2);
  CHECK(many[0]["path"] == "f.txt");
  CHECK(many[0]["error"].is_null());
  CHECK(st.server.Send("GET", "/storage/v1" + many[0]["signedURL"].get<std::string>(), "").body ==
        "signed bytes");
  CHECK(many[1]["signedURL"].is_null());
  CHECK(many[1]["error"].is_string());
}

TEST_CASE("storage: move, copy, info, single delete, PUT") {
  Storage st;
  st.MakeBucket("b", false);
  st.MakeBucket("c", false);
  REQUIRE(st.Upload(st.S(), "b", "a.txt", "aaa", "text/plain", {{"x-metadata", "eyJrIjoxfQ=="}})
              .status == 200);
  REQUIRE(st.Upload(st.S(), "b", "taken.txt", "t").status == 200);
  json info = st.Call(st.S(), "GET", "/object/info/b/a.txt").json();
  CHECK(info["name"] == "a.txt");
  CHECK(info["size"] == 3);
  CHECK(info["content_type"] == "text/plain");
  CHECK(info["metadata"] == json({{"k", 1}}));
  CHECK(StorageError(st.Call(st.S(), "GET", "/object/info/b/nope.txt")) == "400 404 NoSuchKey");

  auto move = [&](const json& body) {
    return st.Call(st.S(), "POST", "/object/move", body.dump());
  };
  CHECK(StorageError(
            move({{"bucketId", "b"}, {"sourceKey", "a.txt"}, {"destinationKey", "taken.txt"}})) ==
        "400 409 KeyAlreadyExists");
  CHECK(
      StorageError(move({{"bucketId", "b"}, {"sourceKey", "nope"}, {"destinationKey", "x.txt"}})) ==
      "400 404 NoSuchKey");
  CHECK(StorageError(move({{"bucketId", "b"}, {"sourceKey", "a.txt"}})) ==
        "400 400 MissingParameter");
  Reply moved =
      move({{"bucketId", "b"}, {"sourceKey", "a.txt"}, {"destinationKey", "dir/moved.txt"}});
  CHECK(moved.json()["message"] == "Successfully moved");
  CHECK(st.Download(st.S(), "b", "dir/moved.txt").body == "aaa");
  CHECK(StorageError(st.Download(st.S(), "b", "a.txt")) == "400 404 NoSuchKey");
  CHECK(move({{"bucketId", "b"},
              {"sourceKey", "dir/moved.txt"},
              {"destinationBucket", "c"},
              {"destinationKey", "there.txt"}})
            .status == 200);
  CHECK(st.Download(st.S(), "c", "there.txt").body == "aaa");

  Reply copied =
      st.Call(st.S(), "POST", "/object/copy",
              R"({"bucketId":"c","sourceKey":"there.txt","destinationKey":"again.txt"})");
  CHECK(copied.json()["Key"] == "c/again.txt");
  CHECK(st.Download(st.S(), "c", "again.txt").body == "aaa");

  // PUT creates or overwrites.
  CHECK(
      st.Call(st.S(), "PUT", "/object/c/put.txt", "v1", {{"Content-Type", "text/plain"}}).status ==
      200);
  CHECK(
      st.Call(st.S(), "PUT", "/object/c/put.txt", "v2", {{"Content-Type", "text/plain"}}).status ==
      200);
  CHECK(st.Download(st.S(), "c", "put.txt").body == "v2");

  CHECK(st.Call(st.S(), "DELETE", "/object/c/put.txt").json()["message"] == "Successfully deleted");
  CHECK(StorageError(st.Call(st.S(), "DELETE", "/object/c/put.txt")) == "400 404 NoSuchKey");
}

TEST_CASE("storage: hostile input gets a 4xx, never a 5xx") {
  Storage st;
  st.MakeBucket("b", true);
  auto is_4xx = [](const Reply& r) { return r.status >= 400 && r.status < 500; };
  CHECK(is_4xx(st.Upload(st.S(), "b", std::string(8000, 'k'), "x")));  // key too long
  CHECK(is_4xx(st.Download(st.S(), "b", std::string(8000, 'k'))));
  CHECK(is_4xx(st.Upload(st.S(), "b", "a%00b", "x")));  // NUL in the key
  CHECK(is_4xx(st.Upload(st.S(), "b", "a%FFb", "x")));  // not UTF-8
  CHECK(is_4xx(st.Upload(st.S(), "b", "a//b", "x")));   // empty segment
  CHECK(is_4xx(st.Call(st.S(), "POST", "/object/list/b", "{\"prefix\":")));
  CHECK(is_4xx(st.Call(st.S(), "POST", "/object/list/b",
                       std::string(10000, '[') + std::string(10000, ']'))));
  CHECK(is_4xx(st.Call(st.S(), "POST", "/object/list/b", R"({"limit":"all"})")));
  CHECK(is_4xx(st.Call(st.S(), "DELETE", "/object/b", R"({"prefixes":"a"})")));
  json many = {{"prefixes", std::vector<std::string>(1001, "x")}};
  CHECK(is_4xx(st.Call(st.S(), "DELETE", "/object/b", many.dump())));
  CHECK(is_4xx(st.Call(st.S(), "POST", "/bucket", R"({"id":"x","file_size_limit":"lots"})")));
  CHECK(is_4xx(st.Call(st.S(), "POST", "/bucket", json({{"id", std::string(20000, 'b')}}).dump())));
  CHECK(is_4xx(st.Call(st.S(), "POST", "/object/b/m.bin", "--B\r\nbroken",
                       {{"Content-Type", "multipart/form-data; boundary=B"}})));
  CHECK(is_4xx(
      st.Call(st.S(), "POST", "/object/b/m.bin",
              "--B\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n1\r\n--B--\r\n",
              {{"Content-Type", "multipart/form-data; boundary=B"}})));  // no file part
  CHECK(is_4xx(st.Upload(st.S(), "b", "m.txt", "x", "text/plain", {{"x-metadata", "!!!"}})));
  CHECK(is_4xx(st.Call(st.S(), "POST", "/object/sign/b/x", R"({"expiresIn":-1})")));
  CHECK(StoredRows(st.server) == 0);
  CHECK(st.Call(st.S(), "GET", "/bucket/b").status == 200);  // still serving
}

TEST_CASE("storage: an upload cut short leaves nothing, also across a SIGKILL") {
  auto partial_upload = [](const ServerProcess& s, RawConnection& conn) {
    conn.Write("POST /storage/v1/object/" + kAudioBucket +
               "/cut.bin HTTP/1.1\r\nHost: x\r\napikey: " + s.service_key() +
               "\r\nAuthorization: Bearer " + s.service_key() +
               "\r\nContent-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n");
    conn.Write(std::string(3000000, 'p'));
  };
  {
    Storage st;
    RawConnection conn(st.server.port());
    partial_upload(st.server, conn);
    CHECK(WaitFor(
        [&] {
          return DbScalar(st.server.db_path(), "SELECT count(*) FROM storage_object_chunks") > 0;
        },
        5));
    conn.Close();  // the client goes away mid-body
    CHECK(WaitFor([&] { return StoredRows(st.server) == 0; }, 10));
  }
  Storage first;
  std::string db = first.server.db_path();
  RawConnection conn(first.server.port());
  partial_upload(first.server, conn);
  CHECK(WaitFor([&] { return DbScalar(db, "SELECT count(*) FROM storage_object_chunks") > 0; }, 5));
  first.server.Stop(9);
  CHECK(DbScalar(db, "SELECT count(*) FROM storage_objects") == 0);  // never visible
  ServerProcess second({}, db);                                      // cleans up at start
  CHECK(DbScalar(db, "SELECT count(*) FROM storage_contents") == 0);
  CHECK(DbScalar(db, "SELECT count(*) FROM storage_object_chunks") == 0);
  CHECK(DbText(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("storage: deleting the auth user deletes their objects") {
  Storage st;
  const std::string a = MakeUser(st.server, "gone@x.io");
  const std::string ta = ServerProcess::Token("authenticated", a);
  REQUIRE(
      st.Upload(ta, kAudioBucket, a + "/one.webm", RandomBytes(300000, 1), "audio/webm").status ==
      200);
  REQUIRE(st.Upload(ta, kAudioBucket, a + "/two.webm", "two", "audio/webm").status == 200);
  REQUIRE(st.Upload(st.S(), kAudioBucket, "service.webm", "kept", "audio/webm").status == 200);
  Reply del = st.server.Send("DELETE", "/auth/v1/admin/users/" + a, st.S(),
                             R"({"should_soft_delete":false})", {{"apikey", st.S()}});
  if (del.status != 200) {
    DbExec(st.server.db_path(), "DELETE FROM auth_users WHERE id = '" + a + "'");
  }
  CHECK(StorageError(st.Download(st.S(), kAudioBucket, a + "/one.webm")) == "400 404 NoSuchKey");
  CHECK(DbScalar(st.server.db_path(), "SELECT count(*) FROM storage_objects") == 1);
  CHECK(DbScalar(st.server.db_path(), "SELECT count(*) FROM storage_contents") == 1);
  CHECK(DbScalar(st.server.db_path(), "SELECT count(*) FROM storage_object_chunks") == 1);
  CHECK(st.Download(st.S(), kAudioBucket, "service.webm").body == "kept");
}
