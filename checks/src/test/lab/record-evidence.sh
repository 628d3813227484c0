#!/usr/bin/env bash
# Records the nginx502 check's test evidence from real faults: for each scenario it starts a real
# nginx (nginx -p DIR -c DIR/nginx.conf, like the fault lab) and real backends on loopback ports
# 28000-28999 under a temporary prefix, sends real requests with curl, and runs the real CLI:
#   java -jar adapters/target/chatops-bot.jar check nginx502 localhost --save-evidence FILE
# It holds /tmp/nginx-lab.lock while nginx runs and stops everything it started, by pid.
#
# usage: checks/src/test/lab/record-evidence.sh [SCENARIO...]   (default: all; -l lists them)
# needs: nginx, php-fpm8.2, curl, openssl, python3, java; the jar built with
#   mvn -B -o -q package -DskipTests
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
JAR=$ROOT/adapters/target/chatops-bot.jar
OUT=${OUT:-$ROOT/checks/src/test/resources/evidence}
BACKENDS=$HERE/backends.py
PHPFPM=${PHPFPM:-$(command -v php-fpm8.2 || command -v php-fpm || true)}
# a fixed prefix keeps the recorded paths stable (tests assert file:line); the lock makes it ours
LAB=${LAB:-/tmp/nginx502-lab}
PIDS=()
NGINX_DIRS=()
FPM_DIRS=()

cleanup() {
  for d in "${NGINX_DIRS[@]:-}"; do
    [ -n "$d" ] && [ -f "$d/nginx.pid" ] && kill "$(cat "$d/nginx.pid")" 2>/dev/null || true
  done
  for d in "${FPM_DIRS[@]:-}"; do
    [ -n "$d" ] && [ -f "$d/php-fpm.pid" ] && kill "$(cat "$d/php-fpm.pid")" 2>/dev/null || true
  done
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  sleep 0.3
  rm -rf "$LAB"
}
exec 9>/tmp/nginx-lab.lock
flock 9
trap cleanup EXIT
rm -rf "$LAB"
mkdir -p "$LAB"
chmod 755 "$LAB"

# ---- helpers -------------------------------------------------------------------------------------------

backend() { # MODE PORT [ARGS...]: starts a backend, waits until it listens (or 2 s)
  python3 "$BACKENDS" "$@" >/dev/null 2>&1 &
  PIDS+=($!)
  local i
  for i in $(seq 1 60); do
    # a blackhole never accepts: look for it in the listing instead of connecting
    if ss -ltnH "sport = :$2" 2>/dev/null | grep -q LISTEN; then break; fi
    sleep 0.05
  done
  sleep 0.2
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

site_dir() { # NAME: a fresh nginx prefix with logs/, conf.d/, www/ and Debian's fastcgi_params
  local d=$LAB/$1
  mkdir -p "$d/logs" "$d/conf.d" "$d/www"
  cp /etc/nginx/fastcgi_params "$d/fastcgi_params"
  printf '<?php echo "ok\\n";\n' > "$d/www/index.php"
  printf '<?php sleep(4); echo "done\\n";\n' > "$d/www/slow.php"
  chmod -R a+rX "$d"
  echo "$d"
}

main_conf() { # DIR [EXTRA MAIN DIRECTIVES] [EXTRA EVENTS]: the main config, Debian-like
  cat > "$1/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $1/nginx.pid;
error_log logs/error.log;
${2:-}

events {
    worker_connections ${3:-64};
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;

    access_log logs/access.log;

    include conf.d/*.conf;
}
EOF
}

start_nginx() { # DIR
  nginx -p "$1" -c "$1/nginx.conf"
  NGINX_DIRS+=("$1")
  local i
  for i in $(seq 1 40); do [ -s "$1/nginx.pid" ] && break; sleep 0.05; done
}

# SIGHUP, like systemctl reload: the master re-reads its config and logs why it refuses it
reload_nginx() { kill -HUP "$(cat "$1/nginx.pid")"; sleep 0.5; }

stop_nginx() { # DIR
  [ -f "$1/nginx.pid" ] && kill -QUIT "$(cat "$1/nginx.pid")" 2>/dev/null || true
  local i
  for i in $(seq 1 40); do [ -f "$1/nginx.pid" ] || break; sleep 0.05; done
}

fpm_conf() { # DIR [LISTEN] [EXTRA POOL SETTINGS...]: a php-fpm config with one pool in pool.d/www.conf
  local d=$1 listen=${2:-$1/php-fpm.sock}
  shift 2 || shift $#
  mkdir -p "$d/pool.d"
  cat > "$d/php-fpm.conf" <<EOF
;;;;;;;;;;;;;;;;;;;;;
; FPM Configuration ;
;;;;;;;;;;;;;;;;;;;;;

[global]
pid = $d/php-fpm.pid
error_log = $d/logs/php-fpm.log
daemonize = yes

include=$d/pool.d/*.conf
EOF
  {
    echo "; Start a new pool named 'www'."
    echo "[www]"
    echo "user = www-data"
    echo "group = www-data"
    echo "listen = $listen"
    local have_owner=0
    for s in "$@"; do case $s in listen.*) have_owner=1 ;; esac; done
    if [ $have_owner = 0 ]; then
      echo "listen.owner = www-data"
      echo "listen.group = www-data"
    fi
    for s in "$@"; do case $s in pm*) ;; *) echo "$s" ;; esac; done
    local pm="pm = dynamic
pm.max_children = 5
pm.start_servers = 2
pm.min_spare_servers = 1
pm.max_spare_servers = 3"
    for s in "$@"; do case $s in pm*) pm=$(printf '%s\n' "$@" | grep '^pm'); break ;; esac; done
    echo "$pm"
  } > "$d/pool.d/www.conf"
}

start_fpm() { # DIR
  "$PHPFPM" --fpm-config "$1/php-fpm.conf"
  FPM_DIRS+=("$1")
  local i
  for i in $(seq 1 60); do [ -s "$1/php-fpm.pid" ] && break; sleep 0.05; done
  sleep 0.3
}

stop_fpm() { [ -f "$1/php-fpm.pid" ] && kill "$(cat "$1/php-fpm.pid")" 2>/dev/null || true; sleep 0.5; }

hit() { # COUNT URL [HOST]: sequential requests, prints the statuses
  local n=$1 url=$2 host=${3:-shop.example.com} i
  for i in $(seq 1 "$n"); do
    curl -s -o /dev/null -m 10 -w '%{http_code} ' -H "Host: $host" "$url" || true
  done
  echo
}

burst() { # COUNT URL [HOST]: concurrent requests
  local n=$1 url=$2 host=${3:-shop.example.com} i mine=()
  for i in $(seq 1 "$n"); do
    curl -s -o /dev/null -m 15 -w '%{http_code} ' -H "Host: $host" "$url" &
    mine+=($!)
  done
  wait "${mine[@]}" || true
  echo
}

record() { # NAME [CLI ARGS...]: runs the real check and keeps its evidence
  local name=$1
  shift
  mkdir -p "$OUT"
  java -jar "$JAR" check nginx502 localhost "$@" --save-evidence "$OUT/$name.json" | tee "$LAB/$name.txt"
  echo "recorded $OUT/$name.json"
}

certs() { # DIR: a self-signed certificate for backend.internal
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=backend.internal" \
    -addext "subjectAltName=DNS:backend.internal" -keyout "$1/backend.key" -out "$1/backend.crt" 2>/dev/null
}

site() { # DIR BODY: conf.d/site.conf with one server block around BODY
  cat > "$1/conf.d/site.conf" <<EOF
$2
EOF
}

# ---- scenarios -------------------------------------------------------------------------------------------

scenario_healthy() {
  local d
  d=$(site_dir healthy)
  main_conf "$d"
  backend ok 28001
  site "$d" "upstream shop_app {
    server 127.0.0.1:28001;
    keepalive 16;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://shop_app;
        proxy_http_version 1.1;
        proxy_set_header Connection \"\";
        proxy_set_header Host \$host;
    }
}"
  start_nginx "$d"
  hit 20 http://127.0.0.1:28080/cart
  record healthy
  stop_nginx "$d"
}

scenario_healthy_php() {
  local d
  d=$(site_dir healthy-php)
  main_conf "$d"
  fpm_conf "$d"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;
    index index.php;

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass unix:$d/php-fpm.sock;
    }
}"
  start_fpm "$d"
  start_nginx "$d"
  hit 12 http://127.0.0.1:28080/index.php
  record healthy-php
  stop_nginx "$d"
  stop_fpm "$d"
}

scenario_upstream_down_tcp() {
  local d
  d=$(site_dir upstream-down-tcp)
  main_conf "$d"
  site "$d" "upstream shop_app {
    server 127.0.0.1:28001;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://shop_app;
        proxy_set_header Host \$host;
        proxy_set_header Authorization \"Bearer s3cr3t-t0ken-value\";
    }
}"
  backend ok 28001
  local pid=${PIDS[-1]}
  # a neighbour on the next port that is not this site's backend (it resets every request)
  backend reset 28002
  start_nginx "$d"
  hit 5 http://127.0.0.1:28080/cart
  stop_pid "$pid"
  hit 25 "http://127.0.0.1:28080/cart?session_id=abc123def456"
  record upstream-down-tcp
  stop_nginx "$d"
}

scenario_upstream_down_unix() {
  local d
  d=$(site_dir upstream-down-unix)
  main_conf "$d"
  fpm_conf "$d"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;
    index index.php;

    location / {
        try_files \$uri \$uri/ =404;
    }

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass unix:$d/php-fpm.sock;
    }
}"
  start_fpm "$d"
  start_nginx "$d"
  hit 3 http://127.0.0.1:28080/index.php
  stop_fpm "$d"
  hit 12 http://127.0.0.1:28080/index.php
  record upstream-down-unix
  stop_nginx "$d"
}

scenario_wrong_socket() {
  local d
  d=$(site_dir wrong-socket)
  main_conf "$d"
  fpm_conf "$d" "$d/php8.2-fpm.sock"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;
    index index.php;

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass unix:$d/php7.4-fpm.sock;
    }
}"
  start_fpm "$d"
  start_nginx "$d"
  hit 10 http://127.0.0.1:28080/index.php
  record upstream-wrong-address-socket
  stop_nginx "$d"
  stop_fpm "$d"
}

scenario_wrong_upstream() {
  # a php upstream of a socket an older setup created and a TCP port nothing serves; php-fpm runs and
  # listens on its own socket: the first request fails on both servers, the next find no live server
  local d
  d=$(site_dir wrong-upstream)
  main_conf "$d"
  fpm_conf "$d" "$d/php8.2-fpm.sock"
  site "$d" "upstream php_backend {
    server unix:$d/php-fpm.sock;
    server 127.0.0.1:28033;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;
    index index.php;

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass php_backend;
    }
}"
  start_fpm "$d"
  start_nginx "$d"
  hit 10 http://127.0.0.1:28080/index.php
  record upstream-wrong-address-upstream
  stop_nginx "$d"
  stop_fpm "$d"
}

scenario_wrong_port() {
  local d
  d=$(site_dir wrong-port)
  main_conf "$d"
  backend ok 28012
  # another service on this host, far from the port nginx uses
  backend ok 28500
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name api.example.com;

    location /api/ {
        proxy_pass http://127.0.0.1:28011;
        proxy_set_header Host \$host;
    }
}"
  start_nginx "$d"
  hit 10 http://127.0.0.1:28080/api/orders api.example.com
  record upstream-wrong-address-port
  stop_nginx "$d"
}

scenario_ipv6_peer() {
  # nginx resolves "localhost" to every address it has; on hosts whose /etc/hosts maps it to ::1 too,
  # the upstream gets an [::1] peer. This host maps localhost to 127.0.0.1 only, so the ::1 peer is
  # written out: the errors and listeners are real, the config line is what "localhost" expands to.
  local d
  d=$(site_dir ipv6-peer)
  main_conf "$d"
  backend ok 28013 127.0.0.1
  site "$d" "upstream app {
    server [::1]:28013;
    server 127.0.0.1:28013;
}

server {
    listen 127.0.0.1:28080;
    server_name app.example.com;

    location / {
        proxy_pass http://app;
    }
}"
  start_nginx "$d"
  hit 12 http://127.0.0.1:28080/ app.example.com
  record upstream-wrong-address-ipv6
  stop_nginx "$d"
}

scenario_timeout() {
  local d
  d=$(site_dir timeout)
  main_conf "$d"
  backend slow 28002 5
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name reports.example.com;

    location / {
        proxy_pass http://127.0.0.1:28002;
    }

    location /export/ {
        proxy_pass http://127.0.0.1:28002;
        proxy_read_timeout 2s;
    }
}"
  start_nginx "$d"
  burst 6 http://127.0.0.1:28080/export/monthly.csv reports.example.com
  record upstream-timeout
  stop_nginx "$d"
}

scenario_connect_timeout() {
  local d
  d=$(site_dir connect-timeout)
  main_conf "$d"
  backend blackhole 28003
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28003;
        proxy_connect_timeout 2s;
    }
}"
  start_nginx "$d"
  burst 4 http://127.0.0.1:28080/
  record upstream-connect-timeout
  stop_nginx "$d"
}

scenario_closed_early() {
  local d
  d=$(site_dir closed-early)
  main_conf "$d"
  backend close 28004
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28004;
    }
}"
  start_nginx "$d"
  hit 8 http://127.0.0.1:28080/checkout
  record upstream-closed-early
  stop_nginx "$d"
}

scenario_reset() {
  local d
  d=$(site_dir reset)
  main_conf "$d"
  backend reset 28005
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28005;
    }
}"
  start_nginx "$d"
  hit 8 http://127.0.0.1:28080/checkout
  record upstream-closed-early-reset
  stop_nginx "$d"
}

scenario_big_header() {
  local d
  d=$(site_dir big-header)
  main_conf "$d"
  backend bigheader 28006
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28006;
        proxy_set_header Host \$host;
    }
}"
  start_nginx "$d"
  hit 9 http://127.0.0.1:28080/login
  record buffer-too-small
  stop_nginx "$d"
}

scenario_invalid_header() {
  local d
  d=$(site_dir invalid-header)
  main_conf "$d"
  backend badheader 28007
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28007;
    }
}"
  start_nginx "$d"
  hit 7 http://127.0.0.1:28080/
  record upstream-invalid-header
  stop_nginx "$d"
}

scenario_ssl_verify() {
  local d
  d=$(site_dir ssl-verify)
  certs "$d"
  main_conf "$d"
  backend tls 28008 "$d/backend.crt" "$d/backend.key"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass https://127.0.0.1:28008;
        proxy_ssl_verify on;
        proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;
    }
}"
  start_nginx "$d"
  hit 6 http://127.0.0.1:28080/
  record upstream-ssl-verify
  stop_nginx "$d"
}

scenario_ssl_handshake() {
  local d
  d=$(site_dir ssl-handshake)
  certs "$d"
  main_conf "$d"
  backend tls 28009 "$d/backend.crt" "$d/backend.key" 1.3
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass https://127.0.0.1:28009;
        proxy_ssl_protocols TLSv1.2;
    }
}"
  start_nginx "$d"
  hit 6 http://127.0.0.1:28080/
  record upstream-ssl-handshake
  stop_nginx "$d"
}

scenario_ssl_sni() {
  # the origin refuses a handshake that names no host; nginx names none unless proxy_ssl_server_name is on,
  # and the location already allows TLSv1.2 and TLSv1.3
  local d
  d=$(site_dir ssl-sni)
  certs "$d"
  main_conf "$d"
  backend tls-sni 28032 "$d/backend.crt" "$d/backend.key"
  site "$d" "upstream origin.example.net {
    server 127.0.0.1:28032;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass https://origin.example.net;
        proxy_ssl_protocols TLSv1.2 TLSv1.3;
    }
}"
  start_nginx "$d"
  hit 6 http://127.0.0.1:28080/
  record upstream-ssl-handshake-sni-upstream
  stop_nginx "$d"
}

scenario_http_to_tls() {
  local d
  d=$(site_dir http-to-tls)
  certs "$d"
  main_conf "$d"
  backend tls 28010 "$d/backend.crt" "$d/backend.key"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28010;
    }
}"
  start_nginx "$d"
  hit 6 http://127.0.0.1:28080/
  record protocol-mismatch-http-to-tls
  stop_nginx "$d"
}

scenario_https_to_plain() {
  local d
  d=$(site_dir https-to-plain)
  main_conf "$d"
  backend ok 28014
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass https://127.0.0.1:28014;
    }
}"
  start_nginx "$d"
  hit 6 http://127.0.0.1:28080/
  record protocol-mismatch-https-to-plain
  stop_nginx "$d"
}

scenario_fastcgi_to_http() {
  local d
  d=$(site_dir fastcgi-to-http)
  main_conf "$d"
  backend ok 28015
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass 127.0.0.1:28015;
    }
}"
  start_nginx "$d"
  hit 6 http://127.0.0.1:28080/index.php
  record protocol-mismatch-fastcgi-to-http
  stop_nginx "$d"
}

scenario_not_http() {
  local d
  d=$(site_dir not-http)
  main_conf "$d"
  backend banner 28016
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28016;
    }
}"
  start_nginx "$d"
  hit 5 http://127.0.0.1:28080/
  record protocol-mismatch-not-http
  stop_nginx "$d"
}

scenario_no_resolver() {
  local d
  d=$(site_dir no-resolver)
  main_conf "$d"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location /api/ {
        set \$backend \"api.internal.example\";
        proxy_pass http://\$backend:8080;
    }
}"
  start_nginx "$d"
  hit 8 http://127.0.0.1:28080/api/items
  record dns-resolution-no-resolver
  stop_nginx "$d"
}

scenario_host_not_found() {
  # nginx runs with a good config; the next edit names a host that does not resolve and the reload fails
  local d
  d=$(site_dir host-not-found)
  main_conf "$d"
  backend ok 28017
  site "$d" "upstream api {
    server 127.0.0.1:28017;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://api;
    }
}"
  start_nginx "$d"
  hit 3 http://127.0.0.1:28080/
  site "$d" "upstream api {
    server 127.0.0.1:28017;
    server api-2.internal.invalid:8080;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://api;
    }
}"
  reload_nginx "$d"
  hit 3 http://127.0.0.1:28080/
  record dns-resolution-host-not-found
  stop_nginx "$d"
}

scenario_no_live() {
  local d
  d=$(site_dir no-live)
  main_conf "$d"
  site "$d" "upstream app {
    server 127.0.0.1:28018 max_fails=1 fail_timeout=60s;
    server 127.0.0.1:28019 max_fails=1 fail_timeout=60s;
}

server {
    listen 127.0.0.1:28080;
    server_name app.example.com;

    location / {
        proxy_pass http://app;
    }
}"
  start_nginx "$d"
  hit 2 http://127.0.0.1:28080/ app.example.com
  # the backends come back; nginx keeps them marked failed until fail_timeout runs out
  backend ok 28018
  backend ok 28019
  hit 10 http://127.0.0.1:28080/ app.example.com
  record no-live-upstreams
  stop_nginx "$d"
}

scenario_no_live_down() {
  local d
  d=$(site_dir no-live-down)
  main_conf "$d"
  site "$d" "upstream app {
    server 127.0.0.1:28020;
    server 127.0.0.1:28021;
}

server {
    listen 127.0.0.1:28080;
    server_name app.example.com;

    location / {
        proxy_pass http://app;
    }
}"
  start_nginx "$d"
  hit 10 http://127.0.0.1:28080/ app.example.com
  record no-live-upstreams-backends-down
  stop_nginx "$d"
}

scenario_socket_permission() {
  local d
  d=$(site_dir socket-permission)
  main_conf "$d"
  fpm_conf "$d" "$d/php-fpm.sock" "listen.owner = root" "listen.group = root" "listen.mode = 0660"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass unix:$d/php-fpm.sock;
    }
}"
  start_fpm "$d"
  start_nginx "$d"
  hit 8 http://127.0.0.1:28080/index.php
  record socket-permission
  stop_nginx "$d"
  stop_fpm "$d"
}

scenario_fpm_saturated() {
  local d
  d=$(site_dir fpm-saturated)
  main_conf "$d"
  fpm_conf "$d" "$d/php-fpm.sock" "pm = dynamic" "pm.max_children = 2" "pm.start_servers = 1" \
    "pm.min_spare_servers = 1" "pm.max_spare_servers = 1"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    root $d/www;

    location ~ \\.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass unix:$d/php-fpm.sock;
        fastcgi_read_timeout 3s;
    }
}"
  start_fpm "$d"
  start_nginx "$d"
  burst 8 http://127.0.0.1:28080/slow.php
  record php-fpm-saturated
  stop_nginx "$d"
  stop_fpm "$d"
}

scenario_worker_connections() {
  local d
  d=$(site_dir worker-connections)
  main_conf "$d" "" 6
  backend slow 28022 2
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28022;
    }
}"
  start_nginx "$d"
  burst 8 http://127.0.0.1:28080/
  record worker-connections
  stop_nginx "$d"
}

scenario_fd_exhausted() {
  local d
  d=$(site_dir fd-exhausted)
  main_conf "$d" "worker_rlimit_nofile 12;" 64
  backend slow 28023 2
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28023;
    }
}"
  start_nginx "$d"
  burst 10 http://127.0.0.1:28080/
  record fd-exhausted
  stop_nginx "$d"
}

scenario_config_invalid() {
  local d
  d=$(site_dir config-invalid)
  main_conf "$d"
  backend ok 28024
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28024;
    }
}"
  start_nginx "$d"
  hit 5 http://127.0.0.1:28080/
  # someone edits the config on disk; the running master still has the old one
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28024;
        proxy_buffer 16k;
    }
}"
  hit 5 http://127.0.0.1:28080/
  record config-invalid
  stop_nginx "$d"
}

scenario_two_servers() {
  local d
  d=$(site_dir two-servers)
  main_conf "$d"
  backend ok 28025
  cat > "$d/conf.d/shop.conf" <<EOF
server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;
    access_log logs/shop.access.log;

    location / {
        proxy_pass http://127.0.0.1:28025;
    }
}
EOF
  cat > "$d/conf.d/blog.conf" <<EOF
upstream blog_backend {
    server 127.0.0.1:28026;
}

server {
    listen 127.0.0.1:28080;
    server_name blog.example.com;
    access_log logs/blog.access.log;

    location / {
        proxy_pass http://blog_backend;
    }
}
EOF
  start_nginx "$d"
  hit 15 http://127.0.0.1:28080/ shop.example.com
  hit 9 http://127.0.0.1:28080/posts/1 blog.example.com
  record two-servers-one-failing
  stop_nginx "$d"
}

scenario_two_masters() {
  local a b
  a=$(site_dir master-a)
  b=$(site_dir master-b)
  main_conf "$a"
  main_conf "$b"
  backend ok 28027
  site "$a" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28027;
    }
}"
  site "$b" "server {
    listen 127.0.0.1:28090;
    server_name admin.example.com;

    location / {
        proxy_pass http://127.0.0.1:28028;
    }
}"
  start_nginx "$a"
  start_nginx "$b"
  hit 6 http://127.0.0.1:28080/ shop.example.com
  hit 6 http://127.0.0.1:28090/ admin.example.com
  record two-masters
  stop_nginx "$a"
  stop_nginx "$b"
}

scenario_old_errors() {
  # errors, then recovery; recorded with a 1-minute window once the errors are older than that
  local d
  d=$(site_dir old-errors)
  main_conf "$d"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28029;
    }
}"
  start_nginx "$d"
  hit 10 http://127.0.0.1:28080/
  backend ok 28029
  echo "waiting 70 s for the errors to leave a 1-minute window"
  sleep 70
  hit 10 http://127.0.0.1:28080/
  printf 'window: 1m\nhosts:\n  localhost:\n    transport: local\n' > "$LAB/window-1m.yaml"
  record old-errors-outside-window --config "$LAB/window-1m.yaml"
  stop_nginx "$d"
}

scenario_huge_log() {
  # a 512 MiB error log and access log of old traffic, with the current incident at their end
  local d
  d=$(site_dir huge-log)
  main_conf "$d"
  site "$d" "upstream shop_app {
    server 127.0.0.1:28030;
}

server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://shop_app;
    }
}"
  python3 - "$d/logs" <<'EOF'
import sys, os
d = sys.argv[1]
err = ('2026/11/19 03:12:{s:02d} [error] 811#811: *{n} connect() failed (111: Connection refused) while '
       'connecting to upstream, client: 10.0.0.{c}, server: shop.example.com, request: "GET /cart HTTP/1.1", '
       'upstream: "http://127.0.0.1:28030/cart", host: "shop.example.com"\n')
acc = ('10.0.0.{c} - - [19/Nov/2026:03:12:{s:02d} +0000] "GET /cart HTTP/1.1" 502 157 "-" '
       '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"\n')
for name, tpl in (("error.log", err), ("access.log", acc)):
    chunk = "".join(tpl.format(s=i % 60, n=i, c=i % 250) for i in range(20000)).encode()
    with open(os.path.join(d, name), "wb") as f:
        target = 512 * 1024 * 1024
        while f.tell() < target:
            f.write(chunk)
EOF
  start_nginx "$d"
  hit 20 http://127.0.0.1:28080/cart
  record huge-log
  stop_nginx "$d"
  rm -f "$d/logs/error.log" "$d/logs/access.log"
}

scenario_quiet_error_log() {
  # error_log at crit hides the [error] lines of refused connections: the access log still shows the 502s
  local d
  d=$(site_dir quiet-error-log)
  main_conf "$d"
  sed -i 's|^error_log logs/error.log;|error_log logs/error.log crit;|' "$d/nginx.conf"
  site "$d" "server {
    listen 127.0.0.1:28080;
    server_name shop.example.com;

    location / {
        proxy_pass http://127.0.0.1:28031;
    }
}"
  start_nginx "$d"
  hit 7 http://127.0.0.1:28080/
  record upstream-down-quiet-error-log
  stop_nginx "$d"
}

scenario_not_running() {
  local i
  for i in $(seq 1 50); do pgrep -x nginx >/dev/null || break; sleep 0.1; done
  if pgrep -x nginx >/dev/null; then
    echo "skipping not-running: an nginx runs on this machine" >&2
    return
  fi
  record nginx-not-running
}

ALL=(healthy healthy_php upstream_down_tcp upstream_down_unix wrong_socket wrong_upstream wrong_port ipv6_peer timeout
  connect_timeout closed_early reset big_header invalid_header ssl_verify ssl_handshake ssl_sni http_to_tls https_to_plain fastcgi_to_http
  not_http no_resolver host_not_found no_live no_live_down socket_permission fpm_saturated worker_connections
  fd_exhausted config_invalid two_servers two_masters quiet_error_log not_running huge_log old_errors)

if [ "${1:-}" = -l ]; then printf '%s\n' "${ALL[@]}"; exit 0; fi
[ -f "$JAR" ] || { echo "build the jar first: mvn -B -o -q package -DskipTests" >&2; exit 2; }
for s in "${@:-${ALL[@]}}"; do
  echo "=== $s"
  before=${#PIDS[@]}
  "scenario_${s//-/_}"
  # each scenario's backends stop with it, so the next one sees only its own
  for p in "${PIDS[@]:$before}"; do stop_pid "$p"; done
done
