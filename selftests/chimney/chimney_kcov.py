# SPDX-License-Identifier: GPL-2.0
"""Kernel coverage from KCOV (Documentation/dev-tools/kcov.rst).

Kcov() collects the program counters the calling thread runs through in
instrumented code (on the debug kernel, chimney only). KcovRemote() runs a
thread that owns a common handle: devices it creates remember the handle,
and what their work items (the virtual hardware, the TCP engine) run is
collected into its area, as vhost's workers are for syzkaller.
"""
import ctypes
import fcntl
import mmap
import os
import queue
import struct
import threading

KCOV_PATH = "/sys/kernel/debug/kcov"
KCOV_INIT_TRACE = 0x80086301            # _IOR('c', 1, unsigned long)
KCOV_ENABLE = 0x6364                    # _IO('c', 100)
KCOV_DISABLE = 0x6365                   # _IO('c', 101)
KCOV_REMOTE_ENABLE = 0x40186366         # _IOW('c', 102, struct kcov_remote_arg)
KCOV_TRACE_PC = 0
KCOV_SUBSYSTEM_COMMON = 0
WORDS = 1 << 18                         # program counters an area holds


def available():
    return os.path.exists(KCOV_PATH)


_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                       ctypes.c_int, ctypes.c_long]


class _Area:
    def __init__(self):
        self.fd = os.open(KCOV_PATH, os.O_RDWR)
        fcntl.ioctl(self.fd, KCOV_INIT_TRACE, WORDS)
        # Python's mmap module refuses a file of size 0, which kcov's is.
        addr = _libc.mmap(None, WORDS * 8, mmap.PROT_READ | mmap.PROT_WRITE,
                          mmap.MAP_SHARED, self.fd, 0)
        if addr in (None, ctypes.c_void_p(-1).value):
            err = ctypes.get_errno()
            raise OSError(err, "mmap of kcov: " + os.strerror(err))
        self.words = (ctypes.c_uint64 * WORDS).from_address(addr)

    def reset(self):
        self.words[0] = 0

    def pcs(self):
        """The program counters since the last reset, in order."""
        n = min(self.words[0], WORDS - 1)
        return self.words[1:n + 1]


class Kcov(_Area):
    """Coverage of the calling thread's system calls."""

    def __init__(self):
        super().__init__()
        fcntl.ioctl(self.fd, KCOV_ENABLE, KCOV_TRACE_PC)


class KcovRemote(_Area):
    """A thread whose common handle collects the work items' coverage.

    call(fn) runs fn on that thread: a device must be created there to
    remember the handle (chimney_dev_init() takes kcov_common_handle()).
    """

    def __init__(self, instance):
        super().__init__()
        self.jobs = queue.Queue()
        self.done = queue.Queue()
        self.handle = KCOV_SUBSYSTEM_COMMON | (instance & 0xffffffff)
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        err = self.done.get()
        if isinstance(err, BaseException):
            raise err

    def _run(self):
        try:
            arg = struct.pack("=IIQQ", KCOV_TRACE_PC, WORDS, 0, self.handle)
            fcntl.ioctl(self.fd, KCOV_REMOTE_ENABLE, arg)
            self.done.put(None)
        except OSError as e:
            self.done.put(e)
            return
        while True:
            fn = self.jobs.get()
            try:
                self.done.put((True, fn()))
            except Exception as e:  # handed to the caller
                self.done.put((False, e))

    def call(self, fn):
        self.jobs.put(fn)
        ok, value = self.done.get()
        if not ok:
            raise value
        return value
