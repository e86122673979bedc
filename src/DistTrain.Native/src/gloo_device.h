// Which address Gloo binds on this host: a network interface, an address or host name the caller
// names, or else the host name's address, falling back to loopback when it does not resolve.
#pragma once
#include <gloo/transport/device.h>

#include <memory>
#include <string>

namespace dt {

// `interface` wins over `hostname`; both empty: the host name's address, or loopback. Throws with
// the reason when a named interface or host cannot be used.
std::shared_ptr<gloo::transport::Device> make_gloo_device(const std::string& interface, const std::string& hostname);

}  // namespace dt
