#!/usr/bin/env bash
# Man pages from ArgumentParser's generate-manual, with the Vietnamese letters kept.
#
#   scripts/man-pages.sh BIN OUTDIR     # BIN: the intake binary; OUTDIR gets intake.1, intake-register-list.1, …
#
# generate-manual drops every non-ASCII character (its String+Escaping.swift keeps only
# `character.isASCII`), so "Numbers (số đến)" came out as "Numbers (s n)". It reads the help from
# `TOOL --experimental-dump-help`, so it is given a tool whose dump has each non-ASCII character
# as an ASCII marker (ZqU<hex>Zq); the pages then get the characters back as UTF-8 with the
# `.\" -*- coding: utf-8 -*-` line that man-db's preconv reads. Every page is then rendered with
# `man -l` and must show each of its non-ASCII characters and no marker.
# Debian-style names (intake-register-list.1, like git-commit.1) and mdoc that man-db's lexgrog
# and groff read without complaint: an unquoted one-word .Nm in NAME, the command as typed in
# SYNOPSIS, .Pp instead of blank lines.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(readlink -f "$1")"
OUT="$2"
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
swift build --product generate-manual 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')" | tail -n 1
GEN="$(swift build --show-bin-path)/generate-manual"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/intake" <<PY
#!/usr/bin/env python3
import json, subprocess, sys
dump = subprocess.run(["$BIN", *sys.argv[1:]], check=True, capture_output=True).stdout
def mark(value):
    if isinstance(value, str):
        return "".join(c if ord(c) < 128 else "ZqU%XZq" % ord(c) for c in value)
    if isinstance(value, list):
        return [mark(v) for v in value]
    if isinstance(value, dict):
        return {k: mark(v) for k, v in value.items()}
    return value
sys.stdout.write(json.dumps(mark(json.loads(dump))))
PY
chmod +x "$WORK/intake"
mkdir -p "$WORK/raw" "$OUT"
"$GEN" "$WORK/intake" --multi-page --authors "Intake developers" --output-directory "$WORK/raw"

python3 - "$WORK/raw" "$OUT" "$BIN" <<'PY'
import os, re, subprocess, sys
source, target, binary = sys.argv[1], sys.argv[2], sys.argv[3]
dump = subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout
in_help = {c for c in dump if ord(c) > 127}
in_pages = set()
pages = 0
for name in sorted(os.listdir(source)):
    if not name.endswith(".1"):
        continue
    words = name[:-2].split(".")
    text = open(os.path.join(source, name), encoding="utf-8").read()
    text = re.sub(r"ZqU([0-9A-F]+)Zq", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r'^\.Nm "[^"]*"$', ".Nm " + "-".join(words), text, count=1, flags=re.M)
    text = re.sub(r'^\.Nd "(.*)"$', r".Nd \1", text, flags=re.M)
    text = re.sub(r'^(\.Sh SYNOPSIS\n)\.Nm$', r'\1.Nm "' + " ".join(words) + '"', text, flags=re.M)
    text = re.sub(r'^\.Dt \S+', ".Dt " + "-".join(words).upper(), text, flags=re.M)
    text = re.sub(r'^[ \t]*$', ".Pp", text, flags=re.M)
    text = '.\\" -*- coding: utf-8 -*-\n' + text
    path = os.path.join(target, "-".join(words) + ".1")
    open(path, "w", encoding="utf-8").write(text)
    # The page as a technician reads it: every non-ASCII character of the source is on screen.
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="200", MAN_KEEP_FORMATTING="")
    shown = subprocess.run(["man", "--warnings", "-l", path], env=env, capture_output=True, text=True)
    if shown.returncode != 0 or shown.stderr.strip():
        sys.exit(f"error: man -l {path}: {shown.stderr.strip()}")
    needed = {c for c in text if ord(c) > 127}
    in_pages |= needed
    lost = sorted(needed - set(shown.stdout))
    if lost or "ZqU" in shown.stdout:
        sys.exit(f"error: {path} renders without {lost}")
    pages += 1
if in_help - in_pages:
    sys.exit(f"error: the help has {sorted(in_help - in_pages)} but no man page shows them")
print(f"{pages} man pages; every non-ASCII character of the help ({''.join(sorted(in_help))}) kept and rendered by man -l")
PY
