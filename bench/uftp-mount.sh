#!/usr/bin/env bash
# Sequential throughput through `toolkit uftp mount` (Debian's fuse3) against the uftpd peer on loopback: write
# (cp of a local file into the mount, close included: the commit is a STOR at close) and read (cat of a file the peer
# holds and the page cache has not seen, to /dev/null). SIZE_MB (default 512) per file, RUNS (default 3) runs each,
# every run on a fresh file name. Needs the CLI and the peers built in Release (dotnet build src/Cli tests/Toolkit.Peers
# -c Release), or TOOLKIT=out/aot/toolkit for the Native AOT binary. Usage: SIZE_MB=512 RUNS=3 bash bench/uftp-mount.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size="${SIZE_MB:-512}"; runs="${RUNS:-3}"; streams="${STREAMS:-1}"
peers="$PWD/tests/Toolkit.Peers/bin/Release/net10.0/Toolkit.Peers.dll"
toolkit=(dotnet "$PWD/src/Cli/bin/Release/net10.0/toolkit.dll"); [ -n "${TOOLKIT:-}" ] && toolkit=("$TOOLKIT")
work="$(mktemp -d)"; mkdir -p "$work/root" "$work/mnt"
cleanup() { fusermount3 -u -z "$work/mnt" 2>/dev/null || true; kill "${mount_pid:-0}" "${peer_pid:-0}" 2>/dev/null || true; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
dotnet "$peers" uftp --listen 127.0.0.1:0 --auth 127.0.0.1:0 --user bench:bench --root "$work/root" > "$work/peer.out" 2>&1 &
peer_pid=$!
for _ in $(seq 100); do [ -s "$work/peer.out" ] && break; sleep 0.1; done
auth="$(head -1 "$work/peer.out")"
"${toolkit[@]}" uftp -u bench:bench -n "$streams" mount "$auth:/" "$work/mnt" 2> "$work/mount.err" &
mount_pid=$!
for _ in $(seq 300); do grep -q " $work/mnt " /proc/mounts && break; sleep 0.1; done
grep -q " $work/mnt " /proc/mounts || { cat "$work/mount.err" >&2; exit 1; }
head -c "$((size << 20))" /dev/urandom > "$work/src.bin"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; ${size} MiB per file, $streams stream(s)"
rate() { python3 -c "import sys; print('%.0f MB/s' % ($size*1048576/1e6/(float(sys.argv[2])-float(sys.argv[1]))))" "$1" "$2"; }
for i in $(seq "$runs"); do
  t0=$(date +%s.%N); cp "$work/src.bin" "$work/mnt/w$i.bin"; t1=$(date +%s.%N)
  cmp -s "$work/src.bin" "$work/root/w$i.bin" || { echo "write $i: the peer's file differs" >&2; exit 1; }
  cp "$work/src.bin" "$work/root/r$i.bin"
  t2=$(date +%s.%N); cat "$work/mnt/r$i.bin" > /dev/null; t3=$(date +%s.%N)
  echo "run $i: write $(rate "$t0" "$t1"), read $(rate "$t2" "$t3")"
done
