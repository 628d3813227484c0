# nginx502 probe "listeners-fallback": listening sockets for hosts without ss (netstat, else /proc).
command -v ss >/dev/null 2>&1 && { echo "@@nginx502 has-ss"; exit 0; }
if command -v netstat >/dev/null 2>&1; then
  echo "@@nginx502 netstat"
  netstat -ltnp 2>/dev/null | head -n 500
  netstat -lxnp 2>/dev/null | head -n 500
else
  echo "@@nginx502 proc"
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A"' | head -n 500
  echo "@@nginx502 proc-unix"
  awk '$4 == "00010000" && NF >= 8' /proc/net/unix 2>/dev/null | head -n 500
fi
