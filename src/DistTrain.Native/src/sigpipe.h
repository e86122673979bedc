// Gloo writes to sockets with writev, which raises SIGPIPE when the peer is gone; its default action
// kills the process (.NET ignores it, other hosts may not). Threads that write to Gloo's sockets run
// with SIGPIPE blocked instead: the write then fails with EPIPE, which Gloo reports as an error.
// Threads inherit the mask, so Gloo's own event-loop thread, started while the group is created,
// is covered too.
#pragma once
#include <signal.h>

namespace dt {

// Blocks SIGPIPE on this thread for the rest of its life (the group's worker).
void block_sigpipe_on_this_thread();

// Blocks SIGPIPE on this thread while it lives; on the way out discards a SIGPIPE raised meanwhile
// and restores the mask (the thread that creates a group is the caller's).
class SigpipeBlocked {
 public:
  SigpipeBlocked();
  ~SigpipeBlocked();
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t previous_;
};

}  // namespace dt
