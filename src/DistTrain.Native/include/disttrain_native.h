/*
 * DistTrain.Native — collectives over raw memory, in one header: a shared-memory all-reduce for
 * ranks on one host and Gloo (Debian's standalone libgloo) for everything else. The library knows
 * bytes, element types and counts, never tensors, and links no libtorch.
 * The C# side mirrors this header in src/DistTrain/Native/NativeMethods.cs.
 *
 * Contract
 * - No C++ exception crosses this boundary. Every entry point catches, stores the message in a
 *   thread-local slot and reports failure: NULL for functions returning a handle, non-zero for the
 *   others; dt_last_error() then returns the message for the calling thread.
 * - Element types use TorchSharp's ScalarType numbering (= c10's), so the C# side passes
 *   (int)tensor.dtype: 0 uint8, 1 int8, 2 int16, 3 int32, 4 int64, 5 float16, 6 float32,
 *   7 float64, 11 bool, 15 bfloat16.
 * - Reduce ops: 0 sum, 1 avg (floating types only), 2 product, 3 min, 4 max.
 * - Memory handed to a collective must stay valid and untouched until its work has completed
 *   (dt_work_wait returned DT_WORK_DONE or a failure, or dt_work_is_completed returned 1).
 * - Timeouts are in milliseconds; a collective's deadline counts from the call that issues it.
 */
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DT_API __attribute__((visibility("default")))

/* ---- runtime --------------------------------------------------------------------------------- */
DT_API const char* dt_last_error(void);
/* Tunes glibc malloc for training loops (mmap threshold 32 MiB, trim threshold 1 GiB) unless the
 * user set either (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, GLIBC_TUNABLES). Returns what it
 * applied: bit 0 the mmap threshold, bit 1 the trim threshold; 0 when nothing (or not glibc). */
DT_API int32_t dt_tune_malloc(void);

/* ---- stores ------------------------------------------------------------------------------------ */
/*
 * A store is managed code (the coordinator's key-value store): groups bootstrap through it while
 * dt_group_create runs and never touch it afterwards. Every callback names the store by the `id`
 * passed to dt_group_create, returns 0, or non-zero after writing a NUL-terminated UTF-8 message
 * (at most `capacity` bytes) into `error`; group creation then fails with that message.
 * Keys are UTF-8 (pointer, length), not NUL-terminated. get hands its value back with
 * dt_store_result_set(result, data, length). Callbacks run on the thread that calls dt_group_create.
 */
typedef struct dt_store_callbacks {
  int32_t (*set)(int64_t id, const char* key, int32_t key_length, const uint8_t* value, int64_t value_length,
                 char* error, int32_t capacity);
  /* Waits until the key exists, at most timeout_ms. */
  int32_t (*get)(int64_t id, const char* key, int32_t key_length, int64_t timeout_ms, void* result,
                 char* error, int32_t capacity);
  /* Adds delta to the integer stored (as decimal text) under key, created at 0; *value receives the sum. */
  int32_t (*add)(int64_t id, const char* key, int32_t key_length, int64_t delta, int64_t* value,
                 char* error, int32_t capacity);
  /* Waits until every key exists, at most timeout_ms. */
  int32_t (*wait)(int64_t id, const char* const* keys, const int32_t* key_lengths, int32_t count,
                  int64_t timeout_ms, char* error, int32_t capacity);
} dt_store_callbacks;

/* Installs the callbacks (once per process, before the first dt_group_create). */
DT_API void dt_store_set_callbacks(const dt_store_callbacks* callbacks);
DT_API void dt_store_result_set(void* result, const uint8_t* data, int64_t length);

/* ---- process groups ---------------------------------------------------------------------------- */
typedef void* dt_group;
typedef void* dt_work;

typedef struct dt_group_options {
  int64_t timeout_ms;        /* default timeout of every collective */
  int64_t store_timeout_ms;  /* how long each store get/wait may block while the group connects */
  const char* interface;     /* Gloo binds this network interface (GLOO_SOCKET_IFNAME); NULL or "": see hostname */
  const char* hostname;      /* else this address or host name of this host; NULL or "": the host name's address */
  int32_t local_all_reduce;  /* non-zero: try the shared-memory path (every rank must agree; 0 on any rank turns it off for all) */
} dt_group_options;

/*
 * Creates the group: every rank connects to every other through Gloo (addresses exchanged through
 * the store under a key prefix of this group's own, so groups created one after another on one
 * store do not mix), then the ranks find out together whether they can share one /dev/shm segment.
 * Blocks until all `size` ranks have joined, at most the store's timeout.
 * When the shared-memory path is on, all_reduce SUM/AVG of float32/float64/int32/int64 goes
 * through it; everything else goes through Gloo. Collectives run one at a time, in the order they
 * were issued, on the group's own thread, or on the thread that waits for one (see dt_work_wait).
 */
DT_API dt_group dt_group_create(int64_t store_id, int32_t rank, int32_t size, const dt_group_options* options);
DT_API int32_t dt_group_rank(dt_group group);
DT_API int32_t dt_group_size(dt_group group);
/* 1 when sums go through shared memory, 0 when through Gloo. */
DT_API int32_t dt_group_local_all_reduce(dt_group group);
/* Why sums do not go through shared memory (which rank could not map the segment and why: another
 * host's /dev/shm, a full /dev/shm, turned off), or that they do; identical on every rank; valid
 * while the group lives. */
DT_API const char* dt_group_local_all_reduce_status(dt_group group);
/* Tells the peers this rank takes no further part (they fail at once instead of at their timeout),
 * fails the collectives still queued, and frees the group. Never blocks on a peer. */
DT_API void dt_group_free(dt_group group);

/*
 * Collectives. Each checks its arguments, queues the operation and returns a work handle (NULL when
 * it could not be queued: bad arguments, a freed group). timeout_ms < 0: the group's default.
 * Before moving data every rank checks, with its peers, that all called the same collective with the
 * same count, element type, op and root; if not, every rank fails it with DT_WORK_MISMATCH and a
 * message naming a rank that differs and what it passed. After any failure the ranks are out of step:
 * every later collective of the group fails at once (DT_WORK_BROKEN).
 */
DT_API dt_work dt_all_reduce(dt_group group, void* data, int64_t count, int32_t dtype, int32_t op, int64_t timeout_ms);
DT_API dt_work dt_broadcast(dt_group group, void* data, int64_t count, int32_t dtype, int32_t root, int64_t timeout_ms);
/* output: size * count elements; rank i's input lands at output + i * count. */
DT_API dt_work dt_all_gather(dt_group group, const void* input, void* output, int64_t count, int32_t dtype,
                             int64_t timeout_ms);
/* input: size * count elements (block i for rank i); output (count elements) receives the reduction
 * of block `rank` over all ranks. */
DT_API dt_work dt_reduce_scatter(dt_group group, const void* input, void* output, int64_t count, int32_t dtype,
                                 int32_t op, int64_t timeout_ms);
DT_API dt_work dt_barrier(dt_group group, int64_t timeout_ms);

/*
 * Buffers in shared memory (ranks on one host). Every rank of the group calls dt_shared_buffer_create
 * with the same size, in the same order relative to its other collectives (it is a collective);
 * each gets its own `bytes` in one segment that every rank maps. An all_reduce (SUM or AVG) of memory
 * that lies in such a buffer, at the same place on every rank, reads the peers' copies directly and
 * writes each reduced share into every copy: no copy through the channel. Returns DT_WORK_DONE with
 * *slab set, or with *slab NULL when no buffer could be made (no shared memory in this group, a full
 * /dev/shm: dt_last_error() says why; every rank gets NULL then), or a failure status.
 * dt_shared_buffer_release(slab) unmaps it; its signature is a tensor deleter's. A buffer outlives
 * its group.
 */
DT_API int32_t dt_shared_buffer_create(dt_group group, int64_t bytes, int64_t timeout_ms, void** slab);
DT_API void dt_shared_buffer_release(void* slab);

/* What dt_work_wait reports. For the failures dt_last_error() holds the message. */
#define DT_WORK_DONE 0
#define DT_WORK_PENDING 1     /* the wait ran out; the collective still runs */
#define DT_WORK_TIMED_OUT 2   /* the collective's own timeout passed: a rank did not take part in time (message names it where known) */
#define DT_WORK_PEER_LOST 3   /* a peer's process exited or closed its connection or its group */
#define DT_WORK_MISMATCH 4    /* the ranks passed different collectives, counts, types, ops or roots */
#define DT_WORK_BROKEN 5      /* an earlier collective of this group failed */
#define DT_WORK_FAILED 6      /* anything else (the message says what) */

/* Waits at most timeout_ms (< 0: until the collective ends, which its own timeout bounds). A wait
 * without a limit on the next collective in line runs it on the calling thread when it needs no Gloo
 * (a group of one; all_reduce and barrier through shared memory), which saves two thread hand-offs. */
DT_API int32_t dt_work_wait(dt_work work, int64_t timeout_ms);
/* 1 when the collective has ended (done or failed), 0 while it runs. */
DT_API int32_t dt_work_is_completed(dt_work work);
/* Frees the handle; a collective still running goes on and its result is dropped. */
DT_API void dt_work_free(dt_work work);

#ifdef __cplusplus
}
#endif
