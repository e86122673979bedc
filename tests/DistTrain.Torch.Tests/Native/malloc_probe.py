"""Loads libdisttrain_native.so into a fresh process (which runs its malloc tuning), then reports what the
library says it tuned and whether glibc served a 20 MiB malloc from a fresh mmap ("mmapped") or the heap."""
import ctypes
import sys


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


native = ctypes.CDLL(sys.argv[1])
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]

before = libc.mallinfo2().hblks
block = libc.malloc(20 << 20)
after = libc.mallinfo2().hblks
libc.free(block)
print(f"tuning={native.dt_malloc_tuning()} block={'mmapped' if after > before else 'heap'}")
