#include "sigpipe.h"

#include <pthread.h>

#include <ctime>

namespace dt {
namespace {
sigset_t only_sigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return set;
}
}  // namespace

void block_sigpipe_on_this_thread() {
  const sigset_t set = only_sigpipe();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SigpipeBlocked::SigpipeBlocked() {
  const sigset_t set = only_sigpipe();
  pthread_sigmask(SIG_BLOCK, &set, &previous_);
}

SigpipeBlocked::~SigpipeBlocked() {
  if (sigismember(&previous_, SIGPIPE)) return;  // it was blocked before: leave it so
  const sigset_t set = only_sigpipe();
  const timespec now{0, 0};
  while (sigtimedwait(&set, nullptr, &now) == SIGPIPE) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace dt
