# nginx's masters, for any check that reads the configuration nginx runs with: shell functions only, so
# nothing runs when this text is read (a check's probe script comes after it). Only show_config prints
# section markers, under the check's own prefix. Variables are global (POSIX sh has no locals); each
# function names the ones it sets.
#
# ps text is written by the process itself, so it is never trusted: a master counts only when root
# owns it, the binary run is never a path taken from its arguments (it is /proc/PID/exe when readable,
# else a root-owned binary in a root-owned place), and its -p/-c are used only when root owns them and
# nobody else can write them.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# messages and byte counts the same on every host, whatever its locale
LC_ALL=C
export PATH LC_ALL

# a path made only of characters that need no quoting anywhere
plain() {
  case $1 in
    /*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9._@:+/-]* | */../* | */.. | */./* | *//*) return 1 ;;
  esac
  return 0
}

# root owns the file and every directory above it, and nobody else can write any of them (a sticky
# directory such as /tmp is fine: others cannot replace what root put there). Sets chain_id to the
# file's DEV:INO out of the same stat.
safe_chain() {
  f=$1
  set --
  while :; do
    set -- "$@" "$f"
    [ "$f" = / ] && break
    f=${f%/*}
    [ -z "$f" ] && f=/
  done
  # one stat for the whole chain; it fails when any of them cannot be looked at
  chain_id=""
  st=$(stat -L -c '%u %a %d:%i %F' "$@" 2>/dev/null) || return 1
  [ -n "$st" ] || return 1
  while read -r u m di t; do
    [ -n "$chain_id" ] || chain_id=$di
    [ "$u" = 0 ] || return 1
    if [ $((0$m & 022)) -ne 0 ]; then
      [ "$t" = directory ] && [ $((0$m & 01000)) -ne 0 ] || return 1
    fi
  done <<EOF
$st
EOF
  return 0
}

# a binary that is safe to run: canonical, plain, and root's all the way up (its link too); sets r to
# its canonical path and r_id to its DEV:INO
safe_bin() {
  [ -f "$1" ] && [ -x "$1" ] || return 1
  r=$(readlink -f "$1" 2>/dev/null) || return 1
  safe_canon "$1"
}

# the rest of safe_bin, once r holds the canonical path of $1
safe_canon() {
  plain "$r" && safe_chain "$r" || return 1
  r_id=$chain_id
  # the chain of the link's own directory, when it is not the one just looked at
  [ "${r%/*}" = "${1%/*}" ] || safe_chain "${1%/*}"
}

bin_id() {
  stat -L -c '%d:%i' "$1" 2>/dev/null
}

# the places a package or a source build installs nginx, then sudo's secure_path
candidates() {
  listed=""
  for b in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx /usr/local/openresty/nginx/sbin/nginx \
      /usr/local/openresty/bin/openresty /opt/*/sbin/nginx /usr/sbin/angie /usr/bin/nginx /usr/local/bin/nginx \
      /sbin/nginx /bin/nginx /usr/local/bin/openresty /usr/bin/openresty /usr/local/sbin/angie /usr/bin/angie; do
    [ -e "$b" ] || continue
    plain "$b" || continue
    [ -f "$b" ] && [ -x "$b" ] || continue
    r=$(readlink -f "$b" 2>/dev/null) || continue
    # a link to a binary already listed (/sbin is /usr/sbin on merged-/usr systems) is the same file,
    # already looked at
    case " $listed " in *" $r "*) continue ;; esac
    safe_canon "$b" || continue
    # a second path to a file already listed (a hard link) is left out too
    case " $listed " in *" =$r_id "*) continue ;; esac
    listed="$listed $r =$r_id"
    printf '%s %s\n' "$r_id" "$b"
  done
}

# the installed nginx binaries that are safe to run. Sets binaries ("DEV:INO PATH" a line, one path per
# file) and cands (their paths, one a line, in the order of the usual places).
find_binaries() {
  binaries=$(candidates)
  cands=""
  while read -r known kpath; do
    [ -n "$kpath" ] && cands="${cands:+$cands
}$kpath"
  done <<EOF
$binaries
EOF
}

# the nginx (and angie) processes. Sets procs (ps: pid ppid user args, with its header line), masters
# (the lines of masters, whoever runs them), found (the lines of at most 16 masters root runs) and others
# ("PID USER" of at most 16 masters someone else runs): anyone can name a process "nginx: master
# process …", only root starts the real one, so the others are to be reported and never looked at (and
# cannot crowd the real masters out of the ones read)
find_masters() {
  procs=$(ps -eo pid,ppid,user:32,args 2>/dev/null || ps -o pid,ppid,user,args 2>/dev/null)
  masters=$(printf '%s\n' "$procs" | awk 'NR > 1 && ($4 == "nginx:" || $4 == "angie:") && $5 == "master" { print }')
  # the few master lines are split by the shell: a program started costs more than this loop
  others=""
  found=""
  fm_o=0
  fm_f=0
  while IFS= read -r fm_line; do
    set -f
    # shellcheck disable=SC2086
    set -- $fm_line
    set +f
    [ $# -ge 5 ] || continue
    if [ "$3" = root ]; then
      [ "$fm_f" -lt 16 ] || continue
      fm_f=$((fm_f + 1))
      found="${found:+$found
}$fm_line"
    else
      [ "$fm_o" -lt 16 ] || continue
      fm_o=$((fm_o + 1))
      others="${others:+$others
}$1 $3"
    fi
  done <<EOF
$masters
EOF
}

# when no master runs, the installed binary stands in for one as PID 0 (the config it would start
# with): sets bin to the first of cands and found to its line; returns 1 when nothing is installed
installed_master() {
  bin=$(printf '%s\n' "$cands" | head -n 1)
  [ -n "$bin" ] || return 1
  found="0 0 root nginx: master process $bin"
}

# a master's command line after its title ("nginx: master process"), split on blanks and never globbed.
# Sets arg0 (the program it names) and prefix and conf (its -p and -c, empty when not given).
master_args() {
  set -f
  # shellcheck disable=SC2086
  set -- $1
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
}

in_container() {
  case $1 in *docker* | *containerd* | *libpod* | *crio* | *kubepods*) return 0 ;; esac
  return 1
}

# the binary master $1 runs ($2 the program its command line names, $3 the first word of its title),
# out of cands (find_binaries first). Sets cgroup (its /proc/PID/cgroup), bin and exe_state: verified
# (what /proc/PID/exe runs), assumed (/proc/PID/exe is root's to read: the installed binary it names)
# or installed (PID 0 stands for the installed binary $2, not running). Returns 1 with bin empty, why
# set (one sentence) and exe_state unusable or unknown, or other when root's process is not nginx.
master_binary() {
  mpid=$1
  marg0=$2
  mw1=$3
  bin=""
  why=""
  exe_state=assumed
  cgroup=""
  # read by the shell (a few short lines the kernel writes), up to about 4 KiB
  if [ "$mpid" != 0 ]; then
    { while [ "${#cgroup}" -lt 4096 ] && IFS= read -r mb_l; do
      cgroup="${cgroup:+$cgroup
}$mb_l"
    done; } <"/proc/$mpid/cgroup" 2>/dev/null
  fi
  if in_container "$cgroup"; then
    # its config and logs are inside the container: the host's nginx and files would be the wrong ones
    exe_state=unusable
    why="it runs in a container (its cgroup says so), whose config and logs are inside it"
    return 1
  fi
  if [ "$mpid" = 0 ]; then
    bin=$marg0
    exe_state=installed
    return 0
  fi
  exe=$(readlink "/proc/$mpid/exe" 2>/dev/null)
  if [ -n "$exe" ]; then
    id=$(bin_id "/proc/$mpid/exe")
    # the installed binaries' ids are in binaries already (find_binaries): no stat per candidate
    if [ -n "$id" ]; then
      while read -r known kpath; do
        if [ "$known" = "$id" ] && [ -n "$kpath" ]; then bin=$kpath; exe_state=verified; return 0; fi
      done <<EOF
$binaries
EOF
    fi
    ename=${exe% (deleted)}
    case ${ename##*/} in
      nginx | nginx-debug | openresty | angie) ;;
      *)
        # a renamed build still carries its version string (read, not run)
        grep -a -q -m 1 -e 'nginx version: ' -e 'Angie version: ' "/proc/$mpid/exe" 2>/dev/null && ename=nginx
        ;;
    esac
    case ${ename##*/} in
      nginx | nginx-debug | openresty | angie) ;;
      *)
        # root's process, but not nginx: someone named it so (e.g. a setuid program started with exec -a)
        exe_state=other
        why="runs another program"
        return 1
        ;;
    esac
    if plain "$exe" && safe_bin "$exe" && [ "$(bin_id "$exe")" = "$id" ]; then
      bin=$exe
      exe_state=verified
      return 0
    fi
    exe_state=unusable
    case $exe in
      *" (deleted)") why="its binary was replaced since it started (an upgrade without a restart)" ;;
      *) why="it runs a binary that is not a root-owned nginx in a root-owned directory" ;;
    esac
    return 1
  fi
  # /proc/PID/exe is root's to read: take the root-owned binary the master names, if it is one of
  # the installed ones, else the first installed one of its kind
  why="no root-owned nginx binary in the usual places and /proc/$mpid/exe is not readable by this user"
  case $marg0 in
    /*)
      # started by a path: the installed binary that path leads to (looked at, never run), if any
      real=$(readlink -f "$marg0" 2>/dev/null)
      for b in $cands; do
        if [ "$b" = "$marg0" ] || { [ -n "$real" ] && [ "$(readlink -f "$b")" = "$real" ]; }; then bin=$b; break; fi
      done
      [ -z "$bin" ] && why="it was started from a path that is not a root-owned nginx in the usual places, and /proc/$mpid/exe is not readable by this user"
      ;;
    *)
      # started by its bare name (sudo nginx, the official image's CMD): the usual places, in order
      for b in $cands; do
        [ "${b##*/}" = "${marg0##*/}" ] && { bin=$b; break; }
      done
      if [ -z "$bin" ]; then
        for b in $cands; do
          case ${b##*/}:$mw1 in nginx:nginx: | openresty:nginx: | angie:angie:) bin=$b; break ;; esac
        done
      fi
      ;;
  esac
  [ -n "$bin" ] && return 0
  exe_state=unknown
  return 1
}

# configure's --prefix, --conf-path, --error-log-path and --http-log-path out of nginx -V text ($1), the
# first of each: sets cprefix, cconf, cerr and cacc (empty when not given)
configured_paths() {
  cprefix=""
  cconf=""
  cerr=""
  cacc=""
  cp_p=""
  cp_c=""
  cp_e=""
  cp_a=""
  # words split on spaces and line ends only, never globbed (the text is the binary's, read by the shell)
  set -f
  IFS=' 
'
  for cp_w in $1; do
    case $cp_w in
      --prefix=*) [ -n "$cp_p" ] || { cp_p=1; cprefix=${cp_w#--prefix=}; } ;;
      --conf-path=*) [ -n "$cp_c" ] || { cp_c=1; cconf=${cp_w#--conf-path=}; } ;;
      --error-log-path=*) [ -n "$cp_e" ] || { cp_e=1; cerr=${cp_w#--error-log-path=}; } ;;
      --http-log-path=*) [ -n "$cp_a" ] || { cp_a=1; cacc=${cp_w#--http-log-path=}; } ;;
    esac
  done
  IFS=' 	
'
  set +f
}

# the master's -p and -c (master_args), kept only when root owns them and nobody else can write them
# (else someone chose them for us); a relative -c is relative to the prefix (cprefix: configured_paths).
# Sets prefix and conf to their canonical paths, or refused to -p or -c (the first refused) and cc to
# the -c path looked at.
vet_args() {
  refused=""
  cc=""
  if [ -n "$prefix" ]; then
    case $prefix in
      /*) pc=$(readlink -f "$prefix" 2>/dev/null) ;;
      *) pc="" ;;
    esac
    if [ -n "$pc" ] && plain "$pc" && safe_chain "$pc"; then
      prefix=$pc
    else
      refused="-p"
    fi
  fi
  if [ -n "$conf" ] && [ -z "$refused" ]; then
    case $conf in
      /*) cc=$conf ;;
      *) cc="${prefix:-${cprefix:-/usr/local/nginx}}/$conf" ;;
    esac
    cc=$(readlink -f "$cc" 2>/dev/null)
    if [ -n "$cc" ] && [ -f "$cc" ] && plain "$cc" && safe_chain "$cc"; then
      conf=$cc
    else
      refused="-c"
    fi
  fi
  [ -z "$refused" ]
}

# the prefix and main config file nginx runs with: its -p/-c, else configure's, else nginx's own
# defaults. Sets p (ending in /) and c.
config_file() {
  p=${prefix:-${cprefix:-/usr/local/nginx/}}
  case $p in */) ;; *) p="$p/" ;; esac
  c=${conf:-${cconf:-conf/nginx.conf}}
  case $c in /*) ;; *) c="$p$c" ;; esac
}

# nginx -T of binary $1 with the master's own -p $2 and -c $3 (each left out when empty): sets dump
# (its output and errors) and rc (its exit status)
dump_config() {
  dbin=$1
  dprefix=$2
  dconf=$3
  set --
  [ -n "$dprefix" ] && set -- -p "$dprefix"
  [ -n "$dconf" ] && set -- "$@" -c "$dconf"
  dump=$("$dbin" "$@" -T 2>&1)
  rc=$?
}

# the config master bin runs with (after vet_args and config_file): nginx -T with its own -p/-c, and
# when that fails the files read one by one, printed as the sections "$1 dump exit=N" … "$1 dump-end"
# and "$1 walk" … "$1 walk-end", each cut at $2 bytes. Sets rc (nginx -T's exit status) and dump (the
# text printed last: nginx -T's, else the files')
show_config() {
  dump_config "$bin" "$prefix" "$conf"
  echo "$1 dump exit=$rc"
  # head only when the text may be longer than the cap (a shell may count characters, up to 4 bytes each)
  if [ "${#dump}" -lt $((($2 - 1) / 4)) ]; then printf '%s\n' "$dump"; else printf '%s\n' "$dump" | head -c "$2"; fi
  echo "$1 dump-end"
  if [ "$rc" -ne 0 ]; then
    dump=$(walk_conf "$c" "${c%/*}" | head -c "$2")
    echo "$1 walk"
    printf '%s\n' "$dump"
    echo "$1 walk-end"
  fi
}

# what nginx -T would print, for a user that may read the files but not run nginx -t (which loads
# every key): the config files from $1 on, includes relative to $2, at most 300 files of 1 MiB each
walk_conf() {
  list=$1
  base=$2
  # the files still to print, first line first (taken off in the shell: no program per file)
  todo=$1
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
    incs=$(awk '{ sub(/(^|[ \t])#.*$/, ""); n = split($0, parts, ";"); for (j = 1; j <= n; j++) { s = parts[j]; sub(/^.*[{}]/, "", s); sub(/^[ \t]+/, "", s); if (s ~ /^include[ \t]/) { split(s, w, /[ \t]+/); p = w[2]; gsub(/["\047]/, "", p); print p } } }' "$f" 2>/dev/null)
    for pat in $incs; do
      case $pat in /*) ;; *) pat="$base/$pat" ;; esac
      for g in $pat; do
        [ -f "$g" ] || continue
        case "$nl$list$nl" in *"$nl$g$nl"*) ;; *) list="$list$nl$g"; todo="${todo:+$todo$nl}$g" ;; esac
      done
    done
  done
}
