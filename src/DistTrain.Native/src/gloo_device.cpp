#include "gloo_device.h"

#include <gloo/transport/tcp/device.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <stdexcept>

namespace dt {
namespace {

// The numeric form of the first address of `host` this process can bind, or "" with `why` set.
// Gloo does this lookup too, but misreads getaddrinfo's errors (it then reads an unset result), so
// it only ever gets a numeric address from here.
std::string bindable_address(const std::string& host, std::string& why) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rv = getaddrinfo(host.c_str(), nullptr, &hints, &found); rv != 0) {
    why = gai_strerror(rv);
    return "";
  }
  std::string address;
  why = "no address";
  for (auto* a = found; a != nullptr && address.empty(); a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0) {
      char text[NI_MAXHOST];
      if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0) address = text;
    } else {
      why = "cannot bind its address";
    }
    close(fd);
  }
  freeaddrinfo(found);
  return address;
}

std::shared_ptr<gloo::transport::Device> device_at(const std::string& address) {
  gloo::transport::tcp::attr attr;
  attr.hostname = address;
  return gloo::transport::tcp::CreateDevice(attr);
}

}  // namespace

std::shared_ptr<gloo::transport::Device> make_gloo_device(const std::string& interface, const std::string& hostname) {
  if (!interface.empty()) {
    gloo::transport::tcp::attr attr;
    attr.iface = interface;
    try {
      return gloo::transport::tcp::CreateDevice(attr);
    } catch (const std::exception& e) {
      throw std::runtime_error("Gloo cannot use the network interface '" + interface + "': " + e.what());
    }
  }
  std::string why;
  if (!hostname.empty()) {
    const auto address = bindable_address(hostname, why);
    if (address.empty()) throw std::runtime_error("Gloo cannot use the host name '" + hostname + "': " + why);
    return device_at(address);
  }
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name - 1) == 0) {
    const auto address = bindable_address(name, why);
    if (!address.empty()) return device_at(address);
  }
  return device_at("127.0.0.1");
}

}  // namespace dt
