#include "shared_segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dt {
namespace {

std::runtime_error failure(const std::string& what, const std::string& name, int error) {
  return std::runtime_error(what + " /dev/shm" + name + ": " + std::strerror(error));
}

char* map(int fd, size_t bytes, const std::string& name) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int error = errno;
  close(fd);
  if (p == MAP_FAILED) throw failure("cannot map", name, error);
  return static_cast<char*>(p);
}

}  // namespace

SharedSegment SharedSegment::create(const std::string& name, size_t bytes) {
  const int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) throw failure("cannot create", name, errno);
  // posix_fallocate returns its error instead of setting errno.
  if (const int error = posix_fallocate(fd, 0, static_cast<off_t>(bytes)); error != 0) {
    close(fd);
    shm_unlink(name.c_str());
    throw failure("cannot reserve " + std::to_string(bytes) + " bytes in", name, error);
  }
  try {
    return SharedSegment(name, map(fd, bytes, name), bytes);
  } catch (...) {
    shm_unlink(name.c_str());
    throw;
  }
}

SharedSegment SharedSegment::open(const std::string& name, size_t bytes) {
  const int fd = shm_open(name.c_str(), O_RDWR, 0600);
  if (fd < 0) throw failure("cannot open", name, errno);
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int error = errno;
    close(fd);
    throw failure("cannot inspect", name, error);
  }
  if (static_cast<size_t>(st.st_size) < bytes) {
    close(fd);
    throw std::runtime_error("/dev/shm" + name + " is smaller than the " + std::to_string(bytes) + " bytes announced");
  }
  auto segment = SharedSegment(name, map(fd, bytes, name), bytes);
  segment.linked_ = false;  // the creator owns the name
  return segment;
}

SharedSegment::SharedSegment(SharedSegment&& other) noexcept
    : name_(std::move(other.name_)), data_(other.data_), size_(other.size_), linked_(other.linked_) {
  other.data_ = nullptr;
  other.linked_ = false;
}

SharedSegment::~SharedSegment() {
  unlink();
  if (data_ != nullptr) munmap(data_, size_);
}

void SharedSegment::unlink() {
  if (linked_) shm_unlink(name_.c_str());
  linked_ = false;
}

}  // namespace dt
