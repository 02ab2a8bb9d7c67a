"""A real tus 1.0.0 server for Intake's tests: tuspyserver (PyPI) under uvicorn on 127.0.0.1.

Uploads go to $TUS_FILES_DIR; every finished upload appends one JSON line
{"path", "metadata"} to $TUS_FILES_DIR/completed.jsonl, so a test can check that each
document arrived once and byte-identical.
"""
import json
import os

from fastapi import FastAPI
from tuspyserver import create_tus_router

FILES = os.environ.get("TUS_FILES_DIR", "/tmp/intake-tus-files")
os.makedirs(FILES, exist_ok=True)


def on_complete(path: str, metadata: dict) -> None:
    with open(os.path.join(FILES, "completed.jsonl"), "a", encoding="utf-8") as log:
        log.write(json.dumps({"path": path, "metadata": metadata}, ensure_ascii=False) + "\n")
        log.flush()
        os.fsync(log.fileno())


app = FastAPI()
app.include_router(create_tus_router(prefix="files", files_dir=FILES, on_upload_complete=on_complete))
