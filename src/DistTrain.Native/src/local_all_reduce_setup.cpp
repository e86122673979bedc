// How the ranks agree on a local all-reduce: rank 0 offers a segment through the store, every rank
// answers whether it could map it, and all of them read all answers, so they decide alike.
// The store passed in already carries the group's own key prefix (see group_setup.cpp).
#include "local_all_reduce.h"

#include <cstdio>
#include <random>
#include <sstream>

namespace dt {
namespace {

const std::string kPrefix = "local-all-reduce/";
const std::string kYes = "yes";
const std::string kNone = "none: ";

uint64_t random64() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

std::string hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

// Rank 0: "<name> <nonce>" when it created the segment, "none: <why>" when it did not.
std::string offer(std::unique_ptr<SharedMemoryChannel>& channel, int size, bool enabled) {
  if (!enabled) return kNone + "turned off (DISTTRAIN_LOCAL_ALLREDUCE=0)";
  try {
    const uint64_t nonce = random64();
    const std::string name = "/disttrain-" + hex(random64());
    channel = std::make_unique<SharedMemoryChannel>(SharedMemoryChannel::create(name, nonce, size));
    return name + " " + hex(nonce);
  } catch (const std::exception& e) {
    return kNone + e.what();
  }
}

// The segment's name from rank 0's offer ("<name> <nonce>").
std::string name_in(const std::string& offered) { return offered.substr(0, offered.find(' ')); }

std::string accept(const std::string& offered, std::unique_ptr<SharedMemoryChannel>& channel, int rank, int size, bool enabled) {
  if (!enabled) return "turned off (DISTTRAIN_LOCAL_ALLREDUCE=0)";
  if (offered.rfind(kNone, 0) == 0) return "rank 0 offered no segment";
  std::istringstream in(offered);
  std::string name, nonce;
  in >> name >> nonce;
  try {
    channel = std::make_unique<SharedMemoryChannel>(
        SharedMemoryChannel::open(name, std::stoull(nonce, nullptr, 16), rank, size));
    return kYes;
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

std::unique_ptr<LocalAllReduce> LocalAllReduce::connect(ManagedStore& store, int rank, int size, bool enabled,
                                                        std::string& why_not) {
  if (size < 2) {
    why_not = "a group of one rank has nothing to sum";
    return nullptr;
  }
  const auto offer_key = kPrefix + "offer";
  auto answer_key = [&](int k) { return kPrefix + "answer/" + std::to_string(k); };
  std::unique_ptr<SharedMemoryChannel> channel;
  std::string answer, offered;
  if (rank == 0) {
    offered = offer(channel, size, enabled);
    store.set_text(offer_key, offered);
    answer = channel ? kYes : offered.substr(kNone.size());
  } else {
    offered = store.get_text(offer_key);
    answer = accept(offered, channel, rank, size, enabled);
  }
  store.set_text(answer_key(rank), answer);

  for (int k = 0; k < size; ++k) {
    const auto answered = store.get_text(answer_key(k));
    if (answered != kYes && why_not.empty()) why_not = "rank " + std::to_string(k) + ": " + answered;
  }
  if (channel) channel->unlink();  // every rank that could map it has: the name is no longer needed
  if (!why_not.empty()) return nullptr;
  channel->watch_peers();
  return std::unique_ptr<LocalAllReduce>(new LocalAllReduce(std::move(channel), name_in(offered)));
}

}  // namespace dt
