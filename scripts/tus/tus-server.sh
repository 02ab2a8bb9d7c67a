#!/usr/bin/env bash
# A real tus 1.0.0 server (tuspyserver from PyPI under uvicorn) for the tests, in its own venv.
#   tus-server.sh install              -> venv in $INTAKE_TUS_VENV (default .build/tus-venv); safe to rerun
#   tus-server.sh run PORT FILES_DIR   -> serve http://127.0.0.1:PORT/files/ (foreground)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${INTAKE_TUS_VENV:-$REPO/.build/tus-venv}
case "${1:-}" in
  install)
    if ! "$VENV/bin/python" -c 'import tuspyserver, uvicorn' 2>/dev/null; then
      python3 -m venv "$VENV"
      "$VENV/bin/pip" install -q 'tuspyserver==4.4.3' 'uvicorn==0.54.0'
    fi
    echo "tus server ready in $VENV" ;;
  run)
    export TUS_FILES_DIR=$3
    exec "$VENV/bin/python" -m uvicorn tus_app:app --app-dir "$HERE" --host 127.0.0.1 --port "$2" --log-level "${TUS_LOG_LEVEL:-warning}" ;;
  *) echo "usage: $0 install | run PORT FILES_DIR" >&2; exit 2 ;;
esac
