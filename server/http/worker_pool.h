// WorkerPool: the server's httplib task queue: a fixed set of worker threads fed by the accept
// loop (new connections) and by the ConnectionReactor (parked connections whose next request
// has arrived). shutdown(), which httplib calls once the server stops accepting, first stops
// the reactor (closing every parked connection), then lets the workers finish what is queued
// (each connection closes instead of parking) and joins them.
// It also decides when a worker that has just answered may wait a moment on its connection for
// the next request (a "hot wait") instead of parking it: only while no task is queued and at
// most half the workers do so, so the pool never waits on clients while others wait for it.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <utility>

#include "server/http/connection_reactor.h"

namespace ib::http {

class WorkerPool : public httplib::TaskQueue {
 public:
  WorkerPool(size_t threads, ConnectionReactor& reactor)
      : pool_(threads), reactor_(reactor), max_hot_waits_(threads / 2) {}

  void enqueue(std::function<void()> fn) override {
    queued_.fetch_add(1, std::memory_order_relaxed);
    pool_.enqueue([this, fn = std::move(fn)] {
      queued_.fetch_sub(1, std::memory_order_relaxed);
      fn();
    });
  }
  void shutdown() override {
    reactor_.Stop();
    pool_.shutdown();
  }

  // True when the caller may hot-wait now; it must call EndHotWait() afterwards.
  bool TryBeginHotWait() {
    if (queued_.load(std::memory_order_relaxed) != 0) return false;
    size_t now = hot_waits_.load(std::memory_order_relaxed);
    do {
      if (now >= max_hot_waits_) return false;
    } while (!hot_waits_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
    return true;
  }
  void EndHotWait() { hot_waits_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  httplib::ThreadPool pool_;
  ConnectionReactor& reactor_;
  const size_t max_hot_waits_;
  std::atomic<size_t> queued_{0};     // tasks enqueued and not yet started
  std::atomic<size_t> hot_waits_{0};  // workers in a hot wait now
};

}  // namespace ib::http
