#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The two ends of an offloaded connection's test, with the kernel's TCP.

  chimney_tcp_peer.py serve ADDR PORT OUTDIR EXPECT REPLY [reset|stall]
      In the peer's namespace: accept one connection, read EXPECT bytes
      (their sha256 goes to OUTDIR/peer_rx), send REPLY bytes of random data
      (their sha256 to OUTDIR/peer_tx), then wait for the end of the
      connection and write how it ended to OUTDIR/peer_end: "eof", "reset"
      or "timeout", and the bytes read meanwhile; then close. With EXPECT 0,
      the REPLY waits until OUTDIR/go exists. With "reset", a small receive
      buffer, and once OUTDIR/go exists, an abortive close (RST). With
      "stall", a small receive buffer too: the REPLY goes out once OUTDIR/go
      exists, while nothing is read until OUTDIR/read exists (the window
      closes).

  chimney_tcp_peer.py source ADDR PORT N LABEL
      make bench: send N bytes through the kernel's TCP to a "serve" peer,
      print the rate once it has them all.

  chimney_tcp_peer.py echo ADDR PORT
  chimney_tcp_peer.py client ADDR PORT N
      A connection that is not offloaded: the client sends N bytes to the
      echo server and must read the same N back.

  chimney_tcp_peer.py repair ADDR PORT HOLD [OUTDIR SNDFILE RCVBYTES]
      On the host: connect, take the connection's state with TCP_REPAIR and
      print it as chimneyctl "tcp new" keys; then close the socket, which in
      repair mode sends nothing, so the connection is the target's alone.
      With HOLD a file, not "-", the socket stays (in the background, with
      the state printed) until HOLD exists: until the target has the
      connection, the host's stack must, or a segment of the peer (netem's
      copy of its SYN-ACK) finds no socket and is answered with a reset.
      With OUTDIR, the socket has data when taken: OUTDIR/go makes a "stall"
      peer send, and RCVBYTES of it are left unread; SNDFILE is written,
      mostly to stay queued behind the peer's closed window. The bytes
      received and not read go to OUTDIR/host_rcvq, the bytes not yet
      acknowledged to OUTDIR/host_sndq (from SndUna on).

  chimney_tcp_peer.py poke SRC DST SPORT DPORT SEQ ACK
      In the peer's namespace: one pure ACK of IPv4, from a raw socket, as
      netem's late copy of a segment of the peer would come.
"""
import fcntl
import hashlib
import os
import socket
import struct
import sys
import termios
import threading
import time

TCP_INFO = 11
TCP_REPAIR = 19
TCP_REPAIR_QUEUE = 20
TCP_QUEUE_SEQ = 21
TCP_TIMESTAMP = 24
TCP_REPAIR_WINDOW = 29
TCP_RECV_QUEUE = 1
TCP_SEND_QUEUE = 2
TCPI_OPT_TIMESTAMPS = 1
TCPI_OPT_WSCALE = 4

# chimney's TCP const flags (CHIMNEY_TCP_FLAG_*).
FLAG_TIMESTAMP = 0x01
FLAG_WINDOW_SCALING = 0x04


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def wait_go(outdir, name="go"):
    go = os.path.join(outdir, name)
    for _ in range(600):
        if os.path.exists(go):
            return
        time.sleep(0.1)


def send_reply(s, outdir, reply):
    data = os.urandom(reply)
    s.sendall(data)
    write(os.path.join(outdir, "peer_tx"), "%d %s" % (reply, hashlib.sha256(data).hexdigest()))


def serve(addr, port, outdir, expect, reply, mode=None):
    ls = socket.socket(family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mode:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ls.bind((addr, port))
    ls.listen(1)
    write(os.path.join(outdir, "peer_listening"), "yes")
    ls.settimeout(60)
    s, _ = ls.accept()
    s.settimeout(60)
    replier = None
    if mode == "stall":
        wait_go(outdir)
        replier = threading.Thread(target=send_reply, args=(s, outdir, reply))
        replier.start()
        wait_go(outdir, "read")
    if mode == "reset":
        wait_go(outdir)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        write(os.path.join(outdir, "peer_end"), "sent reset")
        return
    h = hashlib.sha256()
    got = 0
    try:
        while got < expect:
            b = s.recv(min(65536, expect - got))
            if not b:
                break
            h.update(b)
            got += len(b)
    except (ConnectionResetError, socket.timeout):
        # Taken back by the host, which has no such connection: a reset.
        pass
    write(os.path.join(outdir, "peer_rx"), "%d %s" % (got, h.hexdigest()))
    if replier:
        replier.join()
    else:
        if not expect:
            # Nothing to wait for first: wait until the connection is offloaded.
            wait_go(outdir)
        send_reply(s, outdir, reply)
    s.settimeout(300)
    more = 0
    try:
        while True:
            b = s.recv(65536)
            if not b:
                end = "eof"
                break
            more += len(b)
    except ConnectionResetError:
        end = "reset"
    except socket.timeout:
        end = "timeout"
    write(os.path.join(outdir, "peer_end"), "%s %d" % (end, more))
    s.close()


def inq(s):
    return struct.unpack("i", fcntl.ioctl(s.fileno(), termios.FIONREAD, b"\0" * 4))[0]


def peek(s, queue):
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, queue)
    try:
        return s.recv(1 << 20, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return b""


def hold_until(s, path):
    """Keep socket s, in the background, until path exists (60 s at most)
    or its directory is gone. No other file stays open: the caller's $(...)
    and the test runner's pipes end as if it had exited."""
    sys.stdout.flush()
    if os.fork():
        os._exit(0)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, s.fileno())
    os.closerange(s.fileno() + 1, 1024)
    for _ in range(600):
        if os.path.exists(path) or not os.path.isdir(os.path.dirname(path) or "."):
            return
        time.sleep(0.02)


def repair(addr, port, hold, outdir=None, sndfile=None, rcvbytes=0):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(10)
    if outdir:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    s.connect((addr, port))
    lport = s.getsockname()[1]
    if outdir:
        write(os.path.join(outdir, "go"), "yes")
        with open(sndfile, "rb") as f:
            s.sendall(f.read())
        for _ in range(200):
            if inq(s) >= rcvbytes:
                break
            time.sleep(0.1)
        # What can go out before the peer's window closes has gone.
        time.sleep(1)
    info = s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)
    options, wscale = info[5], info[6]
    snd_mss, = struct.unpack_from("I", info, 16)
    rtt, rttvar, ssthresh, cwnd = struct.unpack_from("IIII", info, 68)

    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    snd, = struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, 4))
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
    rcv, = struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, 4))
    wl1, snd_wnd, max_wnd, rcv_wnd, rcv_wup = struct.unpack(
        "IIIII", s.getsockopt(socket.IPPROTO_TCP, TCP_REPAIR_WINDOW, 20))
    tstime, = struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP, TCP_TIMESTAMP, 4))
    if outdir:
        with open(os.path.join(outdir, "host_rcvq"), "wb") as f:
            f.write(peek(s, TCP_RECV_QUEUE))
        sndq = peek(s, TCP_SEND_QUEUE)
        with open(os.path.join(outdir, "host_sndq"), "wb") as f:
            f.write(sndq)
        # The queue starts at SndUna; all of it is sent (again) from there.
        snd = (snd - len(sndq)) & 0xffffffff

    flags = 0
    mss = snd_mss
    if options & TCPI_OPT_TIMESTAMPS:
        flags |= FLAG_TIMESTAMP
        mss += 12
    if options & TCPI_OPT_WSCALE:
        flags |= FLAG_WINDOW_SCALING
    # The window the host advertised ends at rcv_wup + rcv_wnd.
    rcv_wnd = (rcv_wup + rcv_wnd - rcv) & 0xffffffff
    print("lport %d rport %d mss %d flags %d sndscale %d rcvscale %d "
          "rcvnxt %d snduna %d sndnxt %d sndmax %d sndwnd %d maxsndwnd %d "
          "sendwl1 %d rcvwnd %d rcvwnd_initial %d tstime %d srtt %d rttvar %d "
          "cwnd %d ssthresh %d state established" % (
              lport, port, mss, flags, wscale & 15, wscale >> 4, rcv, snd, snd, snd,
              snd_wnd, max_wnd, wl1, rcv_wnd, rcv_wnd, tstime,
              max(rtt // 1000, 1), max(rttvar // 1000, 1), cwnd * snd_mss,
              min(ssthresh, 0x7fffffff // max(snd_mss, 1)) * snd_mss))
    if hold != "-":
        hold_until(s, hold)
    s.close()


def poke(src, dst, sport, dport, seq, ack):
    """One pure ACK from src:sport, as a late copy of a segment would come."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x10, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    words = struct.unpack("!%dH" % ((len(pseudo) + len(tcp)) // 2), pseudo + tcp)
    csum = sum(words)
    while csum >> 16:
        csum = (csum & 0xffff) + (csum >> 16)
    tcp = tcp[:16] + struct.pack("!H", ~csum & 0xffff) + tcp[18:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    s.sendto(tcp, (dst, 0))


def client(addr, port, n):
    s = socket.create_connection((addr, port), timeout=10)
    s.settimeout(10)
    data = os.urandom(n)
    s.sendall(data)
    got = b""
    while len(got) < n:
        b = s.recv(n - len(got))
        if not b:
            break
        got += b
    sys.exit(0 if got == data else 1)


def source(addr, port, n, label):
    """Send n bytes the kernel's way and wait until the peer has them all."""
    s = socket.create_connection((addr, port), timeout=60)
    chunk = b"x" * 65536
    t = time.monotonic()
    left = n
    while left:
        left -= s.send(chunk[:min(left, len(chunk))])
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    t = time.monotonic() - t
    print("bench: %-44s %9.2f MB/s (%d bytes in %.2f s)" % (label, n / t / 1e6, n, t))


def echo(addr, port):
    ls = socket.socket(family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(4)
    while True:
        s, _ = ls.accept()
        s.settimeout(10)
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                s.sendall(b)
        except OSError:
            pass
        s.close()


def main():
    if len(sys.argv) in (7, 8) and sys.argv[1] == "serve" and \
            sys.argv[7:] in ([], ["reset"], ["stall"]):
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
              sys.argv[7] if len(sys.argv) == 8 else None)
    elif len(sys.argv) == 6 and sys.argv[1] == "source":
        source(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif len(sys.argv) == 5 and sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "echo":
        echo(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 8 and sys.argv[1] == "poke":
        poke(sys.argv[2], sys.argv[3], *[int(a) for a in sys.argv[4:]])
    elif len(sys.argv) == 5 and sys.argv[1] == "repair":
        repair(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 8 and sys.argv[1] == "repair":
        repair(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6],
               int(sys.argv[7]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
