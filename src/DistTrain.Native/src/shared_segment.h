// A POSIX shared-memory segment mapped into this process: created by one rank, opened by the others.
#pragma once
#include <cstddef>
#include <string>

namespace dt {

class SharedSegment {
 public:
  // Creates /dev/shm/<name> of `bytes` (its pages reserved up front, so a full /dev/shm fails here
  // with ENOSPC instead of a SIGBUS on first touch) and maps it. Throws with the reason on failure.
  static SharedSegment create(const std::string& name, size_t bytes);
  // Maps an existing segment; throws if it does not exist here or is smaller than `bytes`.
  static SharedSegment open(const std::string& name, size_t bytes);

  SharedSegment(SharedSegment&& other) noexcept;
  SharedSegment& operator=(SharedSegment&&) = delete;
  SharedSegment(const SharedSegment&) = delete;
  ~SharedSegment();

  // Removes the name; the mapping stays valid until every process has unmapped it (or exited).
  void unlink();

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  SharedSegment(std::string name, char* data, size_t size) : name_(std::move(name)), data_(data), size_(size) {}
  std::string name_;
  char* data_;
  size_t size_;
  bool linked_ = true;
};

}  // namespace dt
