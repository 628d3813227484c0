#!/usr/bin/env python3
"""Small misbehaving backends for recording real nginx 502/504 evidence on loopback.

usage: backends.py MODE PORT [ARGS...]
  ok PORT [BIND]            answers 200
  slow PORT SECONDS         answers 200 after SECONDS
  bigheader PORT            answers 200 with a 12 KiB Set-Cookie header
  badheader PORT            answers with a header name that holds a space
  close PORT                reads the request and closes without answering
  reset PORT                reads the request and resets the connection (RST)
  banner PORT               speaks a non-HTTP protocol (an SSH-like banner)
  tls PORT CERT KEY [1.3]   answers 200 over TLS (TLS 1.3 only with "1.3")
  tls-sni PORT CERT KEY     answers 200 over TLS, refuses a handshake that names no host (alert 40), like
                            origins serving several names
  blackhole PORT            listens with a full accept queue: SYNs get no answer
"""
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    mode = "ok"
    delay = 0.0

    def do_GET(self):
        if self.mode == "slow":
            time.sleep(self.delay)
        body = b"ok\n"
        self.send_response(200)
        if self.mode == "bigheader":
            self.send_header("Set-Cookie", "session=" + "x" * 12288)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, fmt, *args):
        pass


def refuse_without_sni(sock, name, ctx):
    return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE if name is None else None


def http(mode, port, bind="127.0.0.1", delay=0.0, tls=None, sni=False):
    Handler.mode = mode
    Handler.delay = delay
    server = ThreadingHTTPServer((bind, port), Handler)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        if tls[2]:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        if sni:
            ctx.sni_callback = refuse_without_sni
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


def raw(mode, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    if mode == "blackhole":
        s.listen(0)
        # one connection that is never accepted fills the queue: further SYNs are dropped
        held = socket.socket()
        held.settimeout(2)
        held.connect(("127.0.0.1", port))
        while True:
            time.sleep(3600)
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve_raw, args=(mode, c), daemon=True).start()


def serve_raw(mode, c):
    try:
        if mode == "banner":
            c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
            time.sleep(1)
            c.close()
            return
        c.recv(65536)
        if mode == "badheader":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nBad Header: yes\r\n"
                      b"Content-Length: 3\r\n\r\nok\n")
            time.sleep(0.2)
            c.close()
        elif mode == "reset":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.close()
        else:
            c.close()
    except OSError:
        pass


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    args = sys.argv[3:]
    if mode in ("ok",):
        http(mode, port, bind=args[0] if args else "127.0.0.1")
    elif mode == "slow":
        http(mode, port, delay=float(args[0]))
    elif mode == "bigheader":
        http(mode, port)
    elif mode == "tls":
        http("ok", port, tls=(args[0], args[1], len(args) > 2 and args[2] == "1.3"))
    elif mode == "tls-sni":
        http("ok", port, tls=(args[0], args[1], False), sni=True)
    else:
        raw(mode, port)


if __name__ == "__main__":
    main()
