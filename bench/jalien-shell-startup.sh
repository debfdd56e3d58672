#!/usr/bin/env bash
# Shell start to first prompt of `toolkit alien`: the process starts, finds the credentials, connects over TLS 1.2
# to the JAliEn peer on loopback, runs the session start (commandlist; the token is used after the first run),
# prints `AliEn[jdoe]:/alice/cern.ch/user/j/jdoe/ >` and exits at end of input. Wall time: hyperfine -N (3 warm-up
# runs, which also warm the JIT-run peer, then RUNS runs). Builds what is missing first: the Native AOT binary
# (out/aot/toolkit) and the peer. Then one run with TOOLKIT_TRACE_STARTUP=1 prints where the time goes (ms since the
# `alien` command started, per phase). A second binary (BASELINE=path) is timed in the same hyperfine run for a
# before/after comparison. Usage: RUNS=30 [BASELINE=old/toolkit] bash bench/jalien-shell-startup.sh [TOOLKIT_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-30}"
bin="${1:-$PWD/out/aot/toolkit}"
[ -x "$bin" ] || dotnet publish src/Cli -c Release -r linux-x64 -o out/aot -nologo -v q
dotnet build tests/Toolkit.Peers -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"; cd "$work"
cat > ext.cnf <<CNF
[req]
distinguished_name=dn
[dn]
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/DC=org/DC=toolkit/CN=Bench CA" -config ext.cnf -extensions ca 2>/dev/null
for n in host user; do
  openssl req -newkey rsa:2048 -nodes -keyout "${n}key.pem" -out "$n.csr" -subj "/DC=org/DC=toolkit/CN=$n" -config ext.cnf 2>/dev/null
  openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key -set_serial "$RANDOM" -days 1 -extfile ext.cnf -extensions leaf -out "${n}cert.pem" 2>/dev/null
  chmod 600 "${n}key.pem"
done
mkdir certificates; cp ca.pem "certificates/$(openssl x509 -hash -noout -in ca.pem).0"
port=$((20000 + $$ % 20000))
dotnet "$OLDPWD/tests/Toolkit.Peers/bin/Release/net10.0/Toolkit.Peers.dll" jalien --listen "127.0.0.1:$port" --cert hostcert.pem --key hostkey.pem \
  --ca-dir certificates --ca-cert ca.pem --ca-key ca.key --account "/DC=org/DC=toolkit/CN=user=jdoe" >peer.log 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
export HOME="$work" TMPDIR="$work" X509_CERT_DIR="$work/certificates" X509_USER_CERT="$work/usercert.pem" X509_USER_KEY="$work/userkey.pem" \
  ALIENPY_JCENTRAL=127.0.0.1 ALIENPY_JCENTRAL_PORT="$port" ALIENPY_NO_HISTORY=1
"$bin" alien </dev/null | grep -q 'AliEn\[jdoe\]' || { echo "no prompt; peer log:"; cat peer.log; exit 1; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; binary $bin"
cmds=(-n "toolkit alien to first prompt" "$bin alien")
[ -n "${BASELINE:-}" ] && cmds+=(-n "baseline $BASELINE" "$BASELINE alien")
hyperfine -N --warmup 3 --runs "$runs" --style basic --export-json times.json "${cmds[@]}" </dev/null 2>&1 | grep -Ev '^\s*$|Warning'
python3 -c 'import json,statistics as s
for r in json.load(open("times.json"))["results"]:
    print("%s: median %.1f ms, min %.1f ms, CPU (user+sys) mean %.1f ms" % (r["command"], 1000*s.median(r["times"]), 1000*min(r["times"]), 1000*(r["user"]+r["system"])))'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "one traced run (TOOLKIT_TRACE_STARTUP=1):"
TOOLKIT_TRACE_STARTUP=1 "$bin" alien </dev/null 2>&1 >/dev/null | sed 's/^/  /'
