#!/bin/bash
# Real-xrootd integration run for the xrdmon collector.
#
# Usage: xrootd_traffic.sh OUTDIR COLLECTOR_CMD...
#   COLLECTOR_CMD is the collector command line without its --udp argument, e.g.
#   "dotnet toolkit.dll xrdmon listen --summaries --out OUTDIR/summaries.jsonl"; this script appends
#   "--udp 127.0.0.1:PORT", starts it, starts an xrootd whose detailed monitoring (all streams) points at it,
#   drives known traffic with xrdcp/xrdfs, waits for the monitoring timers, stops xrootd, then stops the
#   collector with SIGTERM and waits for it to exit.
#
# Everything runs in a private network namespace that has only the loopback interface (xrootd listens on all
# interfaces); if namespaces are not available it falls back to the host's 127.0.0.1.
# Writes OUTDIR/traffic.txt (what was done, machine-readable) and OUTDIR/xrootd.log.
set -u
if [ -z "${XRDMON_IT_IN_NETNS:-}" ] && unshare -n true 2>/dev/null; then
  exec env XRDMON_IT_IN_NETNS=1 unshare -n "$0" "$@"
fi
[ -n "${XRDMON_IT_IN_NETNS:-}" ] && ip link set lo up
OUT=$(realpath -m "$1"); shift
mkdir -p "$OUT"
RUN=$(mktemp -d /tmp/xrdmon-it.XXXXXX)
mkdir -p "$RUN/data" "$RUN/admin" "$RUN/client"
XUSER=xrootd
id "$XUSER" >/dev/null 2>&1 || XUSER=nobody
chown -R "$XUSER" "$RUN"; chmod 755 "$RUN"
export XRD_CONNECTIONRETRY=2 XRD_REQUESTTIMEOUT=30 XRD_STREAMTIMEOUT=30
# Ports: inside a private namespace any fixed port is free; on the host pick from the pid.
if [ -n "${XRDMON_IT_IN_NETNS:-}" ]; then XPORT=21094; MPORT=21931; else XPORT=$((22000 + $$ % 5000)); MPORT=$((XPORT + 1)); fi
O="root://127.0.0.1:$XPORT"
T="$OUT/traffic.txt"; : > "$T"

cat > "$RUN/xrootd.cfg" <<CFG
all.export /
oss.localroot $RUN/data
all.adminpath $RUN/admin
all.pidpath $RUN/admin
xrd.port $XPORT
xrd.trace off
xrootd.monitor all auth flush 1s fstat 1s lfn ops ssq xfr 2 ident 5s window 1s dest fstat info user io files redir 127.0.0.1:$MPORT
CFG

"$@" --udp "127.0.0.1:$MPORT" &
COLLECTOR=$!
sleep 1
xrootd -R "$XUSER" -c "$RUN/xrootd.cfg" -l "$RUN/xrootd.log" -n it &
XPID=$!
up=0; for i in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$XPORT") 2>/dev/null && { up=1; break; }; sleep 0.1; done
if [ $up != 1 ]; then echo "xrootd did not start" >&2; kill $XPID $COLLECTOR 2>/dev/null; exit 1; fi

note() { echo "$*" >> "$T"; }
mk() { head -c "$2" /dev/urandom > "$RUN/client/$1"; }
# Known files: name size
mk a0 0; mk a1 1000; mk a2 1048576; mk a3 123457; mk big 20000000
for f in a0 a1 a2 a3 big; do
  xrdcp -f -s "$RUN/client/$f" "root://alice@127.0.0.1:$XPORT//it/$f" \
    && note "upload alice /it/$f $(stat -c %s "$RUN/client/$f")" || note "upload-failed alice /it/$f"
done
for f in a1 a2 a3; do
  xrdcp -f -s "root://bob@127.0.0.1:$XPORT//it/$f" "$RUN/client/bob_$f" \
    && note "download bob /it/$f $(stat -c %s "$RUN/client/bob_$f")" || note "download-failed bob /it/$f"
done
xrdcp -f -s "root://carol@127.0.0.1:$XPORT//it/missing" "$RUN/client/nope" 2>/dev/null \
  && note "download carol /it/missing" || note "failed-open carol /it/missing"
# Concurrent clients: four users download the same file at once.
pids=()
for u in dave1 dave2 dave3 dave4; do
  xrdcp -f -s "root://$u@127.0.0.1:$XPORT//it/a2" "$RUN/client/$u" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for u in dave1 dave2 dave3 dave4; do note "download $u /it/a2 $(stat -c %s "$RUN/client/$u" 2>/dev/null || echo 0)"; done
# A killed client: eve opens /it/big, reads 4096 bytes, asks for more, stops reading and is SIGKILLed (python3-xrootd).
/usr/bin/python3 - "root://eve@127.0.0.1:$XPORT//it/big" <<'PY' &
import sys, time
from XRootD import client
from XRootD.client.flags import OpenFlags
f = client.File()
st, _ = f.open(sys.argv[1], OpenFlags.READ)
assert st.ok, st
st, data = f.read(0, 4096)
assert st.ok and len(data) == 4096, st
# Ask for 16 MB and freeze before reading the answer: the server is still writing when the process dies.
import os, signal
f.read(4096, 16_000_000, callback=client.utils.AsyncResponseHandler())
os.kill(os.getpid(), signal.SIGSTOP)
time.sleep(60)
PY
EVE=$!
# Wait until eve has stopped itself (open, read and the 16 MB request done), however slow the machine is.
for i in $(seq 600); do
  case "$(ps -o stat= -p $EVE 2>/dev/null)" in T*) break ;; esac
  sleep 0.1
done
sleep 0.5
kill -9 $EVE; wait $EVE 2>/dev/null
note "killed eve /it/big"
sleep 4          # flush (1s), fstat (1s) and xfr timers fire
kill $XPID; wait $XPID 2>/dev/null
sleep 0.5
kill -TERM $COLLECTOR; wait $COLLECTOR; RC=$?
cp "$RUN/xrootd.log" "$OUT/xrootd.log" 2>/dev/null
rm -rf "$RUN"
note "collector-exit $RC"
exit $RC
