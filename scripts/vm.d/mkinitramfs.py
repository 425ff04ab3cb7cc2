#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the VM's initramfs as an uncompressed newc cpio archive.

Usage: mkinitramfs.py OUT INIT [MODULE.ko ...]

The archive holds busybox (from busybox-static), INIT as /init, the given
kernel modules under /modules (loaded by /init in the order given) and a
/dev/console node, so no root privileges or mknod are needed to build it.
"""
import os
import stat
import sys


def entry(out, ino, name, mode, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
        len(name_b), 0))
    out.write(hdr.encode() + name_b)
    out.write(b"\0" * (-(110 + len(name_b)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main():
    out_path, init_path, modules = sys.argv[1], sys.argv[2], sys.argv[3:]
    items = [
        ("dev", stat.S_IFDIR | 0o755, b""),
        ("proc", stat.S_IFDIR | 0o755, b""),
        ("sys", stat.S_IFDIR | 0o755, b""),
        ("newroot", stat.S_IFDIR | 0o755, b""),
        ("bin", stat.S_IFDIR | 0o755, b""),
        ("modules", stat.S_IFDIR | 0o755, b""),
    ]
    with open("/bin/busybox", "rb") as f:
        items.append(("bin/busybox", stat.S_IFREG | 0o755, f.read()))
    with open(init_path, "rb") as f:
        items.append(("init", stat.S_IFREG | 0o755, f.read()))
    order = []
    for i, mod in enumerate(modules):
        name = "%02d-%s" % (i, os.path.basename(mod))
        with open(mod, "rb") as f:
            items.append(("modules/" + name, stat.S_IFREG | 0o644, f.read()))
        order.append(name)
    items.append(("modules/order", stat.S_IFREG | 0o644,
                  "".join(n + "\n" for n in order).encode()))

    tmp = "%s.%d.tmp" % (out_path, os.getpid())
    with open(tmp, "wb") as out:
        ino = 1
        entry(out, ino, "dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
        for name, mode, data in items:
            ino += 1
            entry(out, ino, name, mode, data)
        entry(out, 0, "TRAILER!!!", 0)
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
