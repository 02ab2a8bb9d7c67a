#!/usr/bin/env python3
"""Draws document headers (Decree 30/2020, Phụ lục I layouts) as 300-dpi colour PPM bands.

Each piece of text is rendered by pango-view (DejaVu Serif) to PDF and rasterised by pdftoppm,
then placed on an A4-wide band; urgency/secrecy marks are stamped in red; the band is skewed.
Writes <out>/<set>-NN.ppm and <out>/truth.json. The "held-out" set uses issuing bodies, places,
types and layouts kept apart from anything the parser was tuned on.
"""
import json, os, subprocess, sys, tempfile
import numpy as np

TUNING = [
    dict(parent="UBND TỈNH HƯNG YÊN", body="SỞ TÀI CHÍNH", notation="1234/STC-NS", place="Hưng Yên", date=(14, 11, 2026),
         type=None, summary="dự toán ngân sách năm 2027", marks=["MẬT"], party=False, skew=2),
    dict(parent="TỈNH ỦY HƯNG YÊN", body="BAN TỔ CHỨC", notation="89-CV/BTCTU", place="Hưng Yên", date=(2, 3, 2026),
         type="QUYẾT ĐỊNH", summary="Về việc điều động cán bộ", marks=["HỎA TỐC"], party=True, skew=-2),
    dict(parent="BỘ TÀI CHÍNH", body="CỤC THUẾ TỈNH", notation="56/CT-TTHT", place="Hà Nội", date=(5, 6, 2026),
         type=None, summary="chính sách thuế", marks=[], party=False, skew=1),
]
HELD_OUT = [
    dict(parent="UBND HUYỆN KIM ĐỘNG", body="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", notation="312/PGDĐT-TH", place="Kim Động", date=(21, 9, 2026),
         type=None, summary="tổ chức khai giảng năm học mới", marks=["KHẨN"], party=False, skew=2),
    dict(parent="UBND TỈNH THÁI BÌNH", body="SỞ Y TẾ", notation="77/QĐ-SYT", place="Thái Bình", date=(30, 1, 2026),
         type="QUYẾT ĐỊNH", summary="Về việc thành lập Hội đồng chuyên môn", marks=[], party=False, skew=-1),
    dict(parent="HUYỆN ỦY VĂN LÂM", body="VĂN PHÒNG", notation="145-TB/VPHU", place="Văn Lâm", date=(8, 12, 2026),
         type="THÔNG BÁO", summary="Kết luận của Thường trực Huyện ủy", marks=["TỐI MẬT"], party=True, skew=2),
    dict(parent="BỘ NỘI VỤ", body="VỤ CÔNG CHỨC - VIÊN CHỨC", notation="4021/BNV-CCVC", place="Hà Nội", date=(17, 4, 2026),
         type=None, summary="hướng dẫn tuyển dụng công chức", marks=["THƯỢNG KHẨN", "MẬT"], party=False, skew=-2),
    dict(parent="UBND THÀNH PHỐ HƯNG YÊN", body="PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG", notation="9/KH-TNMT", place="Hưng Yên", date=(3, 7, 2026),
         type="KẾ HOẠCH", summary="Kiểm tra công tác bảo vệ môi trường", marks=["HỎA TỐC"], party=False, skew=1),
    dict(parent="TỈNH ĐOÀN HƯNG YÊN", body="BAN THƯỜNG VỤ", notation="220-CV/TĐTN", place="Hưng Yên", date=(11, 10, 2026),
         type=None, summary="tổ chức ngày hội thanh niên", marks=[], party=True, skew=-2),
]
W, H = 2480, 1400
MARKS = {"MẬT": ("secrecy", "mat"), "TỐI MẬT": ("secrecy", "toi_mat"), "TUYỆT MẬT": ("secrecy", "tuyet_mat"),
         "KHẨN": ("urgency", "khan"), "THƯỢNG KHẨN": ("urgency", "thuong_khan"), "HỎA TỐC": ("urgency", "hoa_toc")}


def render(text, size, bold, tmp):
    pdf = os.path.join(tmp, "p.pdf")
    subprocess.run(["pango-view", f"--font=DejaVu Serif {'Bold ' if bold else ''}{size}", "--dpi=300", "-q", "--margin=0",
                    "-o", pdf, "--text", text], check=True)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-singlefile", pdf, os.path.join(tmp, "p")], check=True)
    data = open(os.path.join(tmp, "p.pgm"), "rb").read()
    parts = data.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    return np.frombuffer(parts[3][: w * h], dtype=np.uint8).reshape(h, w)


def draw(doc, tmp):
    canvas = np.full((H, W, 3), 255, dtype=np.int32)
    motto = "ĐẢNG CỘNG SẢN VIỆT NAM" if doc["party"] else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    d, m, y = doc["date"]
    pieces = [(doc["parent"], 120, 60, 12, False, False), (motto, 1250, 60, 12, True, False), (doc["body"], 200, 130, 12, True, False)]
    if not doc["party"]:
        pieces.append(("Độc lập - Tự do - Hạnh phúc", 1450, 130, 13, True, False))
    pieces += [("Số: " + doc["notation"], 220, 260, 13, False, False), (f"{doc['place']}, ngày {d} tháng {m} năm {y}", 1300, 260, 13, False, False)]
    for i, mark in enumerate(doc["marks"]):
        pieces.append((mark, 260, 380 + i * 110, 18, True, True))
    if doc["type"]:
        pieces += [(doc["type"], 1050, 700, 14, True, False), (doc["summary"], 700, 800, 13, True, False)]
    else:
        pieces.append(("V/v " + doc["summary"], 180, 700, 12, False, False))
    for text, x, y0, size, bold, red in pieces:
        ink = 255 - render(text, size, bold, tmp).astype(np.int32)
        h, w = ink.shape
        h, w = min(h, H - y0), min(w, W - x)
        region = canvas[y0:y0 + h, x:x + w]
        channels = [1, 2] if red else [0, 1, 2]
        for c in channels:
            region[:, :, c] = np.maximum(0, region[:, :, c] - ink[:h, :w])
    angle = np.deg2rad(doc["skew"])
    ys, xs = np.mgrid[0:H, 0:W]
    dx, dy = xs - W // 2, ys - H // 2
    sx = (np.cos(angle) * dx + np.sin(angle) * dy).astype(int) + W // 2
    sy = (-np.sin(angle) * dx + np.cos(angle) * dy).astype(int) + H // 2
    ok = (sx >= 0) & (sx < W) & (sy >= 0) & (sy < H)
    out = np.full_like(canvas, 255)
    out[ok] = canvas[sy[ok], sx[ok]]
    return out.astype(np.uint8)


def truth(doc):
    d, m, y = doc["date"]
    t = {"notation": doc["notation"], "documentDate": f"{y:04d}-{m:02d}-{d:02d}", "sender": doc["body"],
         "documentType": doc["type"] or "CÔNG VĂN", "summary": doc["summary"]}
    for mark in doc["marks"]:
        kind, word = MARKS[mark]
        key = kind + "Mark"
        rank = ["mat", "toi_mat", "tuyet_mat"] if kind == "secrecy" else ["khan", "thuong_khan", "hoa_toc"]
        if key not in t or rank.index(word) > rank.index(t[key]):
            t[key] = word
    return t


def main(out):
    os.makedirs(out, exist_ok=True)
    answers = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, docs in (("tuning", TUNING), ("heldout", HELD_OUT)):
            for i, doc in enumerate(docs):
                path = os.path.join(out, f"{name}-{i:02d}.ppm")
                with open(path, "wb") as f:
                    f.write(f"P6\n{W} {H}\n255\n".encode())
                    f.write(draw(doc, tmp).tobytes())
                answers[os.path.basename(path)] = truth(doc)
    json.dump(answers, open(os.path.join(out, "truth.json"), "w"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/intake-ocr-bench")
