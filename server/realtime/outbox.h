// Outbox: how protocol code hands frames to the transport of its socket. The transport queues
// them (bounded: a socket whose queue overflows is closed) and writes them in order.
#pragma once

#include <string>

namespace ib::realtime {

class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual void SendText(std::string frame) = 0;
  virtual void SendBinary(std::string frame) = 0;
  // Ends the connection once what is queued was written (a close frame, code 1000).
  virtual void Close() = 0;
};

}  // namespace ib::realtime
