# nginx502 follow-up probe "upstreams": for each address the nginx config sends requests to, does a
# TCP connect succeed, does it answer HTTP, does it answer a TLS handshake (and does the certificate
# verify); for unix sockets, owner, group and mode; names resolved now; the worker user's groups.
# Addresses come from the host's own nginx config, validated and quoted; every probe is bounded.
# one_line TEXT: sets ol to TEXT with each line end a space, by the shell (what tr would do, without a
# program per answer)
# messages and byte counts the same on every host, whatever its locale
LC_ALL=C
export LC_ALL
one_line() {
  ol=""
  ol_t=$1
  while :; do
    case $ol_t in
      *"
"*)
        ol="$ol${ol_t%%"
"*} "
        ol_t=${ol_t#*"
"}
        ;;
      *)
        ol="$ol$ol_t"
        return 0
        ;;
    esac
  done
}
tcp_probe() {
  tag=$1; host=$2; port=$3; sni=$4; https=$5
  {
    accepted=1
    if command -v curl >/dev/null 2>&1; then
      r=$(curl -sS -o /dev/null -m 1.5 --connect-timeout 1 -w ' code=%{http_code} connect=%{time_connect} ttfb=%{time_starttransfer}' "http://$host:$port/" 2>&1)
      e=$?
      one_line "$r"
      echo "http exit=$e $ol"
      # nothing accepted the connection: a TLS handshake cannot tell more
      case "$e:$r" in 7:*|28:*connect=0.000000*) accepted=0 ;; esac
      if [ "$https" = 1 ] && [ "$accepted" = 1 ]; then
        r=$(curl -sS -k -o /dev/null -m 1.5 --connect-timeout 1 -w ' code=%{http_code} connect=%{time_connect} ttfb=%{time_starttransfer}' "https://$host:$port/" 2>&1)
        e=$?
        one_line "$r"
        echo "https exit=$e $ol"
      fi
    elif command -v bash >/dev/null 2>&1; then
      timeout 1.5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>&1
      e=$?
      echo "tcp exit=$e"
      [ "$e" = 0 ] || accepted=0
    else
      echo "tcp exit=127 no curl or bash on this host"
    fi
    if [ "$accepted" = 1 ] && command -v openssl >/dev/null 2>&1; then
      set -- -connect "$host:$port"
      [ -n "$sni" ] && set -- "$@" -servername "$sni"
      timeout 1.5 openssl s_client "$@" </dev/null 2>&1 \
        | grep -E '^(CONNECTED|Verify return code|verify error|subject=|issuer=|New, |    Protocol|no peer certificate|.*(error|errno|wrong version|alert|refused|unexpected eof))' \
        | head -n 12 | sed 's/^/tls /'
    fi
  } 2>&1 | head -c 3500 | sed "s|^|$tag |"
}
unix_probe() {
  tag=$1; path=$2
  {
    stat -L -c 'stat mode=%a type=%F owner=%U group=%G' "$path" 2>&1
    if command -v curl >/dev/null 2>&1; then
      r=$(curl -sS -o /dev/null -m 2 --unix-socket "$path" -w ' code=%{http_code}' http://localhost/ 2>&1)
      e=$?
      one_line "$r"
      echo "http exit=$e $ol"
    fi
  } 2>&1 | head -c 3500 | sed "s|^|$tag |"
}
name_probe() {
  tag=$1; name=$2
  { getent ahosts "$name" 2>&1 | awk '{ print "addr " $1 }' | sort -u | head -n 16; echo "getent-exit done"; } | sed "s|^|$tag |"
}
user_probe() {
  tag=$1; user=$2
  id "$user" 2>&1 | sed "s|^|$tag id |"
}
file_probe() {
  tag=$1; path=$2
  stat -L -c 'stat type=%F size=%s' "$path" 2>&1 | head -n 2 | head -c 500 | sed "s|^|$tag |"
}
