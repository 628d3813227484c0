# nginx502 probe "listen-fallback": listening sockets as this user sees them, for when "sudo -n ss" is not
# allowed or ss is missing: ss without sudo (addresses, and programs of this user only), else netstat,
# else /proc/net.
if command -v ss >/dev/null 2>&1; then
  echo "@@nginx502 ss-tcp"
  ss -ltnp 2>/dev/null | head -n 500
  echo "@@nginx502 ss-unix"
  ss -lxnp 2>/dev/null | head -n 500
elif command -v netstat >/dev/null 2>&1; then
  echo "@@nginx502 netstat"
  netstat -ltnp 2>/dev/null | head -n 500
  netstat -lxnp 2>/dev/null | head -n 500
else
  echo "@@nginx502 proc"
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A"' | head -n 500
  echo "@@nginx502 proc-unix"
  awk '$4 == "00010000" && NF >= 8' /proc/net/unix 2>/dev/null | head -n 500
fi
