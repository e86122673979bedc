#include "gloo_mesh.h"

#include <gloo/rendezvous/context.h>
#include <gloo/transport/tcp/address.h>
#include <gloo/transport/tcp/context.h>

#include <cctype>

#include <sstream>

#include "gloo_device.h"

namespace dt {
namespace {

// Gloo aborts a context's operations (all pairs fail, pending waits wake with the error) only from
// inside, when one of its own waits times out: tcp::Context::signalException is protected. A member
// pointer formed through a derived class reaches it without touching Gloo's object layout; the class
// is never instantiated.
struct SignalAccess : gloo::transport::tcp::Context {
  static auto member() { return &SignalAccess::signalException; }
};

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// Gloo's messages start with the source location, "[/build/.../pair.cc:598] ": not for users.
std::string without_location(const std::string& text) {
  if (!text.empty() && text[0] == '[') {
    const auto end = text.find("] ");
    if (end != std::string::npos && contains(text.substr(0, end), ".cc:")) return text.substr(end + 2);
  }
  return text;
}

}  // namespace

const char* GlooMesh::kFreedMessage = "this rank freed its process group";

// The rendezvous context, with its (protected) transport context reachable for abort().
class GlooMesh::Context : public gloo::rendezvous::Context {
 public:
  using gloo::rendezvous::Context::Context;

  void signal_all(const std::string& why) {
    auto* tcp = dynamic_cast<gloo::transport::tcp::Context*>(transportContext_.get());
    if (tcp != nullptr) (tcp->*SignalAccess::member())(why);
  }
};

GlooMesh::GlooMesh(std::shared_ptr<Context> context) : abortable_(context), context_(std::move(context)) {}

GlooMesh::~GlooMesh() = default;

std::unique_ptr<GlooMesh> GlooMesh::connect(ManagedStore& store, int rank, int size, const std::string& interface,
                                            const std::string& hostname, std::chrono::milliseconds store_timeout) {
  auto device = make_gloo_device(interface, hostname);
  auto context = std::make_shared<Context>(rank, size);
  // The context's timeout bounds each connection's handshake while it connects (Gloo waits 5x it).
  context->setTimeout(store_timeout);
  try {
    context->connectFullMesh(store, device);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the Gloo connections could not be set up: ") + without_location(e.what()));
  }
  std::unique_ptr<GlooMesh> mesh(new GlooMesh(context));

  // Gloo's errors name a connection by the address it holds for the far end: the peer's local end
  // of the connection (which only the peer knows: every rank publishes its own), or, when the peer
  // connected before this rank looked its address up, the listening address the peer published.
  std::ostringstream mine;
  for (int peer = 0; peer < size; ++peer) {
    if (peer != rank) mine << peer << ' ' << context->getPair(peer)->address().str() << '\n';
  }
  store.set_text("endpoints/" + std::to_string(rank), mine.str());
  for (int k = 0; k < size; ++k) {
    if (k == rank) continue;
    std::istringstream theirs(store.get_text("endpoints/" + std::to_string(k)));
    int peer;
    std::string address;
    while (theirs >> peer >> address) {
      if (peer == rank) mesh->peer_addresses_.emplace_back(address, k);
    }
    // Rank k's key holds its listening addresses for its size - 1 peers, in rank order (as Gloo reads it).
    const auto all = store.get(std::to_string(k));
    const size_t each = all.size() / static_cast<size_t>(size - 1);
    const size_t index = static_cast<size_t>(rank > k ? rank - 1 : rank);
    const std::vector<char> listening(all.begin() + index * each, all.begin() + (index + 1) * each);
    mesh->peer_addresses_.emplace_back(gloo::transport::tcp::Address(listening).str(), k);
  }
  for (auto& entry : mesh->peer_addresses_) entry.first = entry.first.substr(0, entry.first.find('$'));  // sequence
  return mesh;
}

void GlooMesh::abort(const std::string& why) { abortable_->signal_all(why); }

int GlooMesh::rank_named_in(const std::string& gloo_message) const {
  for (const auto& [address, rank] : peer_addresses_) {
    // "[127.0.0.1]:5262" must not match "[127.0.0.1]:52620".
    for (auto at = gloo_message.find(address); at != std::string::npos; at = gloo_message.find(address, at + 1)) {
      const auto end = at + address.size();
      if (end == gloo_message.size() || !std::isdigit(static_cast<unsigned char>(gloo_message[end]))) return rank;
    }
  }
  return -1;
}

Failure GlooMesh::classify(const std::exception& e, const std::string& collective, int64_t timeout_ms) const {
  const std::string text = without_location(e.what());
  if (contains(text, "Timed out waiting")) {
    return Failure(DT_WORK_TIMED_OUT, collective + " timed out after " + std::to_string(timeout_ms) +
                                          " ms (a rank did not take part in time, or is stuck; Gloo: " + text + ")");
  }
  if (contains(text, kFreedMessage)) {
    return Failure(DT_WORK_FAILED, "the process group was freed while its " + collective + " ran");
  }
  if (contains(text, "closed by peer") || contains(text, "reset by peer") || contains(text, "Broken pipe") ||
      contains(text, "Socket closed")) {
    const int peer = rank_named_in(text);
    const std::string who = peer >= 0 ? "rank " + std::to_string(peer) + "'s process" : "a peer's process";
    return Failure(DT_WORK_PEER_LOST, who + " exited or closed its connection (or its process group failed or was "
                                            "closed) during " + collective + " (Gloo: " + text + ")");
  }
  return Failure(DT_WORK_FAILED, collective + " failed in Gloo: " + text);
}

}  // namespace dt
