#!/usr/bin/env python3
"""The lab's backends: small servers on a loopback port that answer well or break in one known way.

    python3 backends.py MODE PORT [CERT KEY]

MODE is one of the keys of MODES below. Each connection is served in its own thread, so a slow
answer never holds up the next client. Runs until killed (SIGTERM).
"""
import re
import socket
import socketserver
import ssl
import struct
import sys
import time

BODY = b"hello from the lab backend\n"
SLOW_SECONDS = 4
# four times nginx's default proxy_buffer_size (4k/8k): the response head cannot fit
HUGE_HEADER = b"X-Lab-Session: " + b"a" * 32 * 1024 + b"\r\n"


# the start of a request line ("GET ", or the first letters of a method still arriving)
REQUEST_LINE = re.compile(rb"^[A-Z]{0,10}(?: |$)")


def read_head(conn):
    """Reads the request up to the blank line (or what arrives before the client stops sending).

    Returns None when the first bytes are not an HTTP request line (a FastCGI record, a TLS
    hello): like a real HTTP server, the caller then answers 400 at once instead of waiting.
    """
    data = b""
    conn.settimeout(10)
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
            if not REQUEST_LINE.match(data[:11]):
                return None
    except (socket.timeout, OSError):
        pass
    return data


def response(extra_headers=b"", body=BODY, status=b"200 OK"):
    return (b"HTTP/1.1 " + status + b"\r\n"
            + b"Content-Type: text/plain\r\n"
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n"
            + extra_headers
            + b"Connection: close\r\n\r\n" + body)


def ok(conn):
    if read_head(conn) is None:
        conn.sendall(response(body=b"bad request\n", status=b"400 Bad Request"))
        return
    conn.sendall(response())


def slow(conn):
    read_head(conn)
    time.sleep(SLOW_SECONDS)
    conn.sendall(response())


def huge_headers(conn):
    read_head(conn)
    conn.sendall(response(HUGE_HEADER))


def close(conn):
    # accepts and reads the request, then hangs up without a word: a crashed worker
    read_head(conn)


def reset(conn):
    # linger 0 turns close() into a TCP RST
    read_head(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def non_http(conn):
    # a Redis-like answer: what a proxy_pass to the wrong kind of service gets
    read_head(conn)
    conn.sendall(b"-ERR unknown command 'GET', with args beginning with: '/'\r\n")


def invalid_header(conn):
    # a space in a header name: rejected by nginx since 1.21.1
    read_head(conn)
    conn.sendall(response(b"X Lab Trace: 1\r\n"))


MODES = {
    "ok": ok,
    "slow": slow,
    "huge-headers": huge_headers,
    "close": close,
    "reset": reset,
    "non-http": non_http,
    "invalid-header": invalid_header,
    "tls": ok,
    "tls13-only": ok,
}


def tls_context(mode, cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if mode == "tls13-only":
        context.minimum_version = ssl.TLSVersion.TLSv1_3
    return context


def main(argv):
    if len(argv) < 3 or argv[1] not in MODES:
        sys.stderr.write("usage: backends.py {%s} PORT [CERT KEY]\n" % "|".join(MODES))
        return 2
    mode, port = argv[1], int(argv[2])
    serve = MODES[mode]
    context = None
    if mode.startswith("tls"):
        if len(argv) != 5:
            sys.stderr.write("backends.py: %s needs CERT and KEY files\n" % mode)
            return 2
        context = tls_context(mode, argv[3], argv[4])

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            conn = self.request
            try:
                if context is not None:
                    conn = context.wrap_socket(conn, server_side=True)
                serve(conn)
            except (ssl.SSLError, OSError) as e:
                sys.stderr.write("%s: %s\n" % (mode, e))
            finally:
                try:
                    conn.close()
                except OSError:
                    pass

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True
        request_queue_size = 64

        def handle_error(self, request, client_address):
            sys.stderr.write("%s: error serving %s\n" % (mode, client_address))

    with Server(("127.0.0.1", port), Handler) as server:
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
