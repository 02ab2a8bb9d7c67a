#!/usr/bin/env python3
"""Runs intake serve with [ocr] off and on; measures per document:
numbering = wall time of `intake scan` (request → số đến, the pnm scan included),
delivery delay = `intake scan` returned → the receiver lists the document,
header OCR = the daemon's own "header read seconds=" journal line."""
import json, os, re, statistics, subprocess, sys, time, urllib.request

binary, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ocr_binary = os.environ.get("OCR_BIN", binary + "/intake-ocr")   # e.g. a release intake-ocr beside a debug intake
page = os.path.join(out, "pages", "tuning-02.ppm")   # a công văn without marks: the check passes
results = os.environ.get("RESULTS")


def run(ocr):
    world = os.path.join(out, "ocr-on" if ocr else "ocr-off")
    os.makedirs(world + "/sane", exist_ok=True)
    open(world + "/sane/dll.conf", "w").write("pnm\n")
    open(world + "/token", "w").write("bench-token")
    os.chmod(world + "/token", 0o600)
    env = dict(os.environ, SANE_CONFIG_DIR=world + "/sane", JOURNAL_STREAM="")
    receiver = subprocess.Popen([binary + "/intake-receiver", "--host", "127.0.0.1", "--port", "0", "--store", world + "/receiver",
                                 "--token-file", world + "/token"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = None
    while port is None:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", receiver.stdout.readline())
        port = m and int(m.group(1))
    config = f"""organisation_code = "000.00.00.H49"
[paths]
state_dir = "{world}/state"
socket = "{world}/intake.sock"
[device]
name = "pnm:0"
poll_buttons = false
[profiles.default]
source = "Flatbed"
mode = "Color"
resolution = 300
device_options = {{ filename = "{page}" }}
[release]
hold_seconds = 0
[ocr]
enabled = {"true" if ocr else "false"}
band = 1
binary = "{ocr_binary}"
[[targets]]
name = "central"
kind = "http"
url = "http://127.0.0.1:{port}"
token_file = "{world}/token"
"""
    open(world + "/intake.toml", "w").write(config)
    log = open(world + "/serve.log", "w")
    daemon = subprocess.Popen([binary + "/intake", "serve", "--config", world + "/intake.toml"], env=env, stdout=log, stderr=log)
    while not os.path.exists(world + "/intake.sock"):
        time.sleep(0.05)
    numbering, delay = [], []
    request = urllib.request.Request(f"http://127.0.0.1:{port}/documents", headers={"Authorization": "Bearer bench-token"})
    for i in range(1, n + 1):
        t0 = time.monotonic()
        scan = subprocess.run([binary + "/intake", "scan", "--config", world + "/intake.toml"], env=env, capture_output=True, text=True)
        t1 = time.monotonic()
        assert f"Số đến {i} " in scan.stdout, scan.stdout + scan.stderr
        while len(json.load(urllib.request.urlopen(request))) < i:
            time.sleep(0.01)
        t2 = time.monotonic()
        numbering.append(t1 - t0)
        delay.append(t2 - t1)
    daemon.terminate(); daemon.wait()
    receiver.terminate(); receiver.wait()
    ocr_seconds = [float(s) for s in re.findall(r"header read .*?seconds=([0-9.]+)", open(world + "/serve.log").read())]
    return numbering, delay, ocr_seconds


rows = []
for ocr in (False, True):
    numbering, delay, ocr_seconds = run(ocr)
    label = "on" if ocr else "off"
    line = (f"ocr {label}: {n} documents, numbering median {statistics.median(numbering) * 1000:.0f} ms "
            f"(max {max(numbering) * 1000:.0f}), registration → delivered median {statistics.median(delay) * 1000:.0f} ms "
            f"(max {max(delay) * 1000:.0f})")
    if ocr_seconds:
        line += f", header OCR median {statistics.median(ocr_seconds):.2f} s/page"
    print(line)
    rows.append(f"ocr-delay\t{label}\t{n}\t{statistics.median(numbering) * 1000:.0f}\t{statistics.median(delay) * 1000:.0f}\t"
                f"{statistics.median(ocr_seconds) if ocr_seconds else 0:.2f}")
if results:
    with open(results, "a") as f:
        f.write("\n".join(rows) + "\n")
