// Gloo's collectives on raw memory. They throw whatever Gloo throws (GlooMesh::classify reads it);
// callers have checked arguments and agreement, and skip empty inputs.
#pragma once
#include <gloo/context.h>

#include <chrono>
#include <cstdint>
#include <memory>

#include "element_types.h"

namespace dt {

using GlooContext = std::shared_ptr<gloo::Context>;

// In place; avg as a sum (the caller divides).
void gloo_all_reduce(const GlooContext& context, void* data, size_t count, ElementType type, ReduceOp op,
                     uint32_t tag, std::chrono::milliseconds timeout);

void gloo_broadcast(const GlooContext& context, void* data, size_t bytes, int root, uint32_t tag,
                    std::chrono::milliseconds timeout);

// `output` holds size * bytes; `input` may be output + rank * bytes (in place).
void gloo_all_gather(const GlooContext& context, const void* input, void* output, size_t bytes, uint32_t tag,
                     std::chrono::milliseconds timeout);

}  // namespace dt
