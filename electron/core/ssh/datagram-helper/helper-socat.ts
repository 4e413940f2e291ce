/**
 * The fallback helper for an SSH relay without python3 but with socat (bind mode only): a
 * POSIX sh script around socat. socat cannot frame a datagram with its peer, so it is used for
 * what it can do (one child per peer, `fork`, with the peer's datagrams kept whole by a
 * datagram socketpair), and a line protocol does the rest: `D <addr> <port> <hex>` up, and the
 * reply down as printf octal escapes to the peer's child through a FIFO. A few processes per
 * datagram: fine for SNMP, syslog, traps and TFTP at a human pace, not for floods; datagrams
 * above 2 KB may interleave when several peers send at once. python3 is the real helper.
 *
 * Its process group is the SSH session's: when the channel's stdin closes the script ends and
 * `kill 0` takes socat and every child with it.
 */
export const SOCAT_BIND_SCRIPT = `# $0 mark, $1 address ("" = this SSH connection's), $2 port (0 = any free), $3 peer idle seconds
addr=$1; port=$2; idle=\${3:-60}
[ -n "$addr" ] || { set -- $SSH_CONNECTION; addr=\${3:-0.0.0.0}; }
dir=$(mktemp -d) || exit 1
trap 'kill 0 2>/dev/null; rm -rf "$dir"' EXIT INT TERM HUP
case $addr in *:*) fam=6; bindaddr="[$addr]";; *) fam=4; bindaddr=$addr;; esac
# One child per peer (socat's fork), its datagrams kept whole by a datagram socketpair.
CHILD='f="$D/$SOCAT_PEERADDR-$SOCAT_PEERPORT"; mkfifo "$f" || exit 1; trap "rm -f \\"$f\\"" EXIT
exec 3<>"$f"
( while read -r r <&3; do printf "$r"; done ) &
while true; do
  x=$(dd bs=65536 count=1 2>/dev/null | od -An -v -tx1 | tr -d " \\n") || break
  [ -n "$x" ] || break
  printf "D %s %s %s\\n" "$SOCAT_PEERADDR" "$SOCAT_PEERPORT" "$x" >&4
done
kill $! 2>/dev/null'
printf '%s\\n' "$CHILD" > "$dir/child"
export D="$dir"
try=0
while :; do
  p=$port
  [ "$p" != 0 ] || p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
  socat -d -d -T "$idle" "UDP$fam-LISTEN:$p,bind=$bindaddr,reuseaddr,fork" "SYSTEM:sh $dir/child,socktype=2" 2>"$dir/log" 4>&1 &
  pid=$!
  n=0
  while [ $n -lt 100 ]; do
    if grep -q 'listening on' "$dir/log"; then echo "READY $p socat $addr"; break 2; fi
    if ! kill -0 $pid 2>/dev/null; then break; fi
    sleep 0.05; n=$((n+1))
  done
  err=$(grep -o 'E .*' "$dir/log" | head -1)
  case $err in *"in use"*) code=EADDRINUSE;; *denied*|*permitted*) code=EACCES;; *"assign requested"*) code=EADDRNOTAVAIL;; *) code=EIO;; esac
  try=$((try+1))
  if [ "$port" = 0 ] && [ $code = EADDRINUSE ] && [ $try -lt 5 ]; then continue; fi
  echo "FAIL $code $addr port $p: \${err:-socat did not start}"; exit 3
done
# Replies: one line each, the payload as printf octal escapes, to the peer's child.
while read -r kind a p r; do
  f="$dir/$a-$p"
  [ "$kind" = D ] && [ -p "$f" ] && ( printf '%s\\n' "$r" > "$f" & )
done
`;

/** Replies larger than this are dropped in socat mode: the child writes each with one printf. */
export const SOCAT_MAX_REPLY = 4000;
