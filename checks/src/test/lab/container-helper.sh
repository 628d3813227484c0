#!/bin/bash
# Runs the root helper nginx502-containers against a container made here, as Docker runs the official
# nginx image (lab/container.py: its own namespaces, pivot_root, a json-file log under
# /var/lib/docker/containers/<id>/), and prints what the helper printed. Root only; the caller holds
# /tmp/nginx-lab.lock.
#
#   container-helper.sh HELPER WORKDIR [hostile]
#
# hostile: after nginx starts, /usr/sbin/nginx in the container becomes a script that runs a setuid-root
# copy of env to write /root/MARKER (root-only, 0700) and prints its own uid and capabilities: run as
# nobody with no_new_privs, the setuid bit gives nothing and no marker appears.
set -euo pipefail
helper=$1
work=$2
mode=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
container_py=$here/../../../../lab/container.py
[ "$(id -u)" = 0 ] || { echo "container-helper.sh must run as root" >&2; exit 2; }
[ -f "$container_py" ] || { echo "lab/container.py is missing" >&2; exit 2; }
r=$work/rootfs
nginx=$(command -v nginx || echo /usr/sbin/nginx)
id=$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)
lib=/var/lib/docker
made=""
shim=""

cleanup() {
  set +e
  [ -z "$shim" ] || { kill "$shim" 2>/dev/null; wait "$shim" 2>/dev/null; }
  rm -rf "${lib:?}/containers/$id"
  for d in $made; do rmdir "$d" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$r"
mkdir -p "$r"/{etc/nginx/conf.d,usr/sbin,bin,var/log/nginx,var/cache/nginx,var/lib/nginx,var/lock,run,tmp,proc,dev,root}
chmod 1777 "$r/tmp"
chmod 0700 "$r/root"
ln -s /run "$r/var/run"
copy() {  # BINARY DEST: a binary and its libraries into the root filesystem
  cp "$1" "$r$2"
  for l in $(ldd "$1" | grep -oE '/[^ ]+'); do mkdir -p "$r$(dirname "$l")"; cp -L "$l" "$r$l"; done
}
copy "$nginx" /usr/sbin/nginx
for t in sh cat sed awk env readlink; do copy "$(readlink -f "$(command -v "$t")")" "/bin/$t"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101::/nonexistent:/bin/false\n' >"$r/etc/passwd"
printf 'root:x:0:\nnginx:x:101:\n' >"$r/etc/group"
cat >"$r/etc/nginx/nginx.conf" <<'CONF'
user nginx;
error_log /var/log/nginx/error.log notice;
pid /var/run/nginx.pid;
events { worker_connections 64; }
http {
    access_log /var/log/nginx/access.log;
    include /etc/nginx/conf.d/*.conf;
}
CONF
printf 'server {\n    listen 80;\n    location / { proxy_pass http://127.0.0.1:8080; }\n}\n' >"$r/etc/nginx/conf.d/default.conf"
ln -s /dev/stdout "$r/var/log/nginx/access.log"
ln -s /dev/stderr "$r/var/log/nginx/error.log"

for d in "$lib" "$lib/containers"; do
  [ -d "$d" ] || { install -d -m 0710 "$d"; made="$d $made"; }
done
install -d -m 0710 "$lib/containers/$id"
install -m 0640 /dev/null "$lib/containers/$id/$id-json.log"
python3 "$container_py" run --rootfs "$r" --hostname "${id:0:12}" --log "$lib/containers/$id/$id-json.log" \
  -- nginx -g 'daemon off;' >"$work/container.out" 2>&1 &
shim=$!
master=""
for _ in $(seq 100); do
  # the one in another mount namespace than this script's (the caller holds the lab's lock)
  master=$(ps -eo pid=,args= | awk '$2 == "nginx:" && $3 == "master" && / nginx -g daemon off;$/ { print $1 }' \
    | while read -r p; do [ "$(readlink "/proc/$p/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] && echo "$p"; done \
    | head -n 1)
  [ -n "$master" ] && [ -n "$(ps -o pid= --ppid "$master")" ] && break
  sleep 0.05
done
[ -n "$master" ] || { echo "the container's nginx did not start: $(cat "$work/container.out")" >&2; exit 1; }
printf '{"ID":"%s","State":{"Running":true,"Pid":%s},"Config":{"Labels":{"Name":"/not-the-name","com.docker.compose.service":"web","com.docker.compose.project":"shop"}},"Name":"/shop-web-1"}\n' \
  "$id" "$master" >"$lib/containers/$id/config.v2.json"
# one request that gets 502: the app on 127.0.0.1:8080 inside the container is not there
nsenter -t "$master" -n curl -s -o /dev/null --max-time 5 http://127.0.0.1/cart || true
for _ in $(seq 50); do grep -q '"stream":"stdout"' "$lib/containers/$id/$id-json.log" && break; sleep 0.05; done

if [ "$mode" = hostile ]; then
  cp "$r/bin/env" "$r/bin/rootenv"
  chown root:root "$r/bin/rootenv"
  chmod 4755 "$r/bin/rootenv"
  rm -f "$r/usr/sbin/nginx"
  cat >"$r/usr/sbin/nginx" <<'EVIL'
#!/bin/sh
/bin/rootenv /bin/sh -c 'echo owned >/root/MARKER' 2>&1
/bin/rootenv /bin/cat /proc/self/status | /bin/awk '/^(Uid|Gid|Groups|CapEff|CapPrm|NoNewPrivs):/'
EVIL
  chmod 0755 "$r/usr/sbin/nginx"
fi
echo "@@test master=$master id=$id"
"$helper" </dev/null
echo "@@test marker=$([ -e "$r/root/MARKER" ] && echo present || echo absent)"
