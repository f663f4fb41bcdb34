// WorkerPool: the server's httplib task queue: a fixed set of worker threads fed by the accept
// loop (new connections) and by the ConnectionReactor (parked connections whose next request
// has arrived). shutdown(), which httplib calls once the server stops accepting, first stops
// the reactor (closing every parked connection), then lets the workers finish what is queued
// (each connection closes instead of parking) and joins them.
#pragma once

#include <httplib.h>

#include <functional>

#include "server/http/connection_reactor.h"

namespace ib::http {

class WorkerPool : public httplib::TaskQueue {
 public:
  WorkerPool(size_t threads, ConnectionReactor& reactor) : pool_(threads), reactor_(reactor) {}

  void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
  void shutdown() override {
    reactor_.Stop();
    pool_.shutdown();
  }

 private:
  httplib::ThreadPool pool_;
  ConnectionReactor& reactor_;
};

}  // namespace ib::http
