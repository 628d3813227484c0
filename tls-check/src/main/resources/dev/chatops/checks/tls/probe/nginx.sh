# tls probe "nginx": the configuration each running nginx master uses (nginx -T with the master's own
# -p/-c), for the certificates and upstreams it names. Read-only; sections start with "@@tls".
#
# ps text is written by the process itself, so it is never trusted: a master counts only when root
# owns it, the binary run is a root-owned nginx in a root-owned place (never a path taken from its
# arguments unless it is that binary), and its -p/-c are used only when root owns them all the way up
# and nobody else can write them.
DUMPCAP=@DUMP_BYTES@
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH

# an absolute path made only of characters that need no quoting, with nothing to resolve
plain() {
  case $1 in /*) ;; *) return 1 ;; esac
  case $1 in *[!A-Za-z0-9._@:+/-]* | */../* | */.. | */./* | *//*) return 1 ;; esac
  return 0
}

# root owns the path and every directory above it, and nobody else can write them (sticky is fine)
safe_chain() {
  f=$1
  set --
  while :; do
    set -- "$@" "$f"
    [ "$f" = / ] && break
    f=${f%/*}
    [ -z "$f" ] && f=/
  done
  st=$(stat -L -c '%u %a %F' "$@" 2>/dev/null) || return 1
  [ -n "$st" ] || return 1
  while read -r u m t; do
    [ "$u" = 0 ] || return 1
    if [ $((0$m & 022)) -ne 0 ]; then
      [ "$t" = directory ] && [ $((0$m & 01000)) -ne 0 ] || return 1
    fi
  done <<END
$st
END
  return 0
}

# the installed nginx binaries that are safe to run, canonical, one per file
candidates() {
  for b in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx /usr/local/openresty/nginx/sbin/nginx \
      /usr/sbin/angie /usr/bin/nginx /usr/local/bin/nginx; do
    [ -f "$b" ] && [ -x "$b" ] || continue
    r=$(readlink -f "$b" 2>/dev/null) || continue
    plain "$r" && safe_chain "$r" && echo "$r"
  done | awk '!seen[$0]++'
}

cands=$(candidates)
masters=$(ps -eo pid,user:32,args 2>/dev/null | awk 'NR > 1 && ($3 == "nginx:" || $3 == "angie:") && $4 == "master" && n++ < 16 { print }')
found=$(printf '%s\n' "$masters" | awk 'NF >= 4 && $2 == "root" && n++ < 4 { print }')
printf '%s\n' "$masters" | awk 'NF >= 4 && $2 != "root" && n++ < 8 { print "@@tls ignored pid=" $1 " why=not run by root" }'
if [ -z "$found" ]; then
  bin=$(printf '%s\n' "$cands" | head -n 1)
  if [ -z "$bin" ]; then
    echo "@@tls not-installed"
  else
    # the config it would start with: its certificates are the ones it will serve
    echo "@@tls not-running bin=$bin"
    found="0 root nginx: master process $bin"
  fi
fi

[ -n "$found" ] && printf '%s\n' "$found" | while read -r pid user w1 w2 w3 rest; do
  case $pid in *[!0-9]* | '') continue ;; esac
  set -f
  # shellcheck disable=SC2086
  set -- $rest
  set +f
  arg0=${1:-}
  [ $# -ge 1 ] && shift
  conf=""
  prefix=""
  while [ $# -gt 0 ]; do
    case $1 in
      -c) [ $# -ge 2 ] && { conf=$2; shift; } ;;
      -c?*) conf=${1#-c} ;;
      -p) [ $# -ge 2 ] && { prefix=$2; shift; } ;;
      -p?*) prefix=${1#-p} ;;
    esac
    shift
  done
  # the binary: the one /proc says it runs when readable, else the installed one it names, else the first
  bin=""
  exe=$(readlink -f "/proc/$pid/exe" 2>/dev/null)
  for b in $cands; do
    if [ -n "$exe" ] && [ "$b" = "$exe" ]; then bin=$b; break; fi
  done
  if [ -z "$bin" ] && [ -z "$exe" ]; then
    real=$(readlink -f "$arg0" 2>/dev/null)
    for b in $cands; do
      if [ "$b" = "$real" ]; then bin=$b; break; fi
    done
    [ -z "$bin" ] && bin=$(printf '%s\n' "$cands" | head -n 1)
  fi
  if [ -z "$bin" ]; then
    echo "@@tls instance pid=$pid bin= prefix= conf="
    echo "@@tls no-binary"
    continue
  fi
  refused=""
  if [ -n "$prefix" ]; then
    pc=$(readlink -f "$prefix" 2>/dev/null)
    if [ -n "$pc" ] && plain "$pc" && safe_chain "$pc"; then prefix=$pc; else refused=-p; fi
  fi
  if [ -n "$conf" ] && [ -z "$refused" ]; then
    case $conf in /*) cc=$conf ;; *) cc="${prefix:-/usr/local/nginx}/$conf" ;; esac
    cc=$(readlink -f "$cc" 2>/dev/null)
    if [ -n "$cc" ] && [ -f "$cc" ] && plain "$cc" && safe_chain "$cc"; then conf=$cc; else refused=-c; fi
  fi
  if [ -n "$refused" ]; then
    echo "@@tls instance pid=$pid bin=$bin prefix= conf="
    echo "@@tls refused arg=$refused"
    continue
  fi
  echo "@@tls instance pid=$pid bin=$bin prefix=$prefix conf=$conf"
  v=$("$bin" -V 2>&1 | head -c 8192)
  cprefix=$(printf '%s\n' "$v" | tr ' ' '\n' | sed -n 's/^--prefix=//p' | head -n 1)
  cconf=$(printf '%s\n' "$v" | tr ' ' '\n' | sed -n 's/^--conf-path=//p' | head -n 1)
  p=${prefix:-${cprefix:-/usr/local/nginx/}}
  case $p in */) ;; *) p="$p/" ;; esac
  c=${conf:-${cconf:-conf/nginx.conf}}
  case $c in /*) ;; *) c="$p$c" ;; esac
  echo "@@tls paths prefix=$p conf=$c"
  set --
  [ -n "$prefix" ] && set -- -p "$prefix"
  [ -n "$conf" ] && set -- "$@" -c "$conf"
  dump=$("$bin" "$@" -T 2>&1)
  rc=$?
  echo "@@tls dump exit=$rc"
  printf '%s\n' "$dump" | head -c "$DUMPCAP"
  echo "@@tls dump-end"
  if [ "$rc" -ne 0 ]; then
    # nginx -t loads every key, which this user may not read: the files as nginx -T would print them
    echo "@@tls walk"
    list=$c
    todo=$c
    nl='
'
    i=0
    while [ "$i" -lt 300 ]; do
      i=$((i + 1))
      f=${todo%%"$nl"*}
      case $todo in *"$nl"*) todo=${todo#*"$nl"} ;; *) todo="" ;; esac
      [ -z "$f" ] && break
      echo "# configuration file $f:"
      head -c 1048576 "$f" 2>&1
      echo
      incs=$(awk '{ sub(/(^|[ \t])#.*$/, ""); n = split($0, parts, ";"); for (j = 1; j <= n; j++) { s = parts[j]; sub(/^.*[{}]/, "", s); sub(/^[ \t]+/, "", s); if (s ~ /^include[ \t]/) { split(s, w, /[ \t]+/); q = w[2]; gsub(/["\047]/, "", q); print q } } }' "$f" 2>/dev/null)
      for pat in $incs; do
        case $pat in /*) ;; *) pat="${c%/*}/$pat" ;; esac
        for g in $pat; do
          [ -f "$g" ] || continue
          case "$nl$list$nl" in *"$nl$g$nl"*) ;; *) list="$list$nl$g"; todo="${todo:+$todo$nl}$g" ;; esac
        done
      done
    done | head -c "$DUMPCAP"
    echo "@@tls walk-end"
  fi
done
exit 0
