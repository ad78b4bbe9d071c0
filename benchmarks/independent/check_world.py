#!/usr/bin/env python3
"""Consistency checks of a world written by make_world.py (stdlib + opusdec).

    python3 check_world.py DIR [--decode N]

Checks: every truth file exists and every audio file of the store is in truth.csv; every
message_id names an audio row; intact, untranscoded files match the row's fileSha256 and
fileLength; transcoded ones do not; `seconds` agrees with the Ogg granule duration (floor or
round, as world.json says); HASH8 tokens of known-derivation instances derive from the row's
WhatsApp id; name clock minus mtime equals the instance's UTC offset + skew/drift (files
without a copied mtime); re-downloads are byte-identical; content hashes are unique except
re-downloads and forwards. With --decode N, N Ogg Opus files are decoded with opusdec and
their sample count compared with the granule duration.
"""
import argparse
import base64
import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zlib
from datetime import datetime, timezone

AUDIO_EXTS = ("ogg", "oga", "opus", "mp3", "m4a", "aac", "wav")


def hash8(derivation, wid):
    b = wid.encode()
    if derivation == "id_prefix":
        return wid[:8].upper()
    if derivation == "id_suffix":
        return wid[-8:].upper()
    if derivation in ("md5", "sha1", "sha256", "sha512"):
        return hashlib.new(derivation, b).hexdigest()[:8].upper()
    if derivation == "md5_lower":
        return hashlib.md5(wid.lower().encode()).hexdigest()[:8].upper()
    if derivation == "crc32":
        return "%08X" % (zlib.crc32(b) & 0xFFFFFFFF)
    if derivation == "base32":
        return base64.b32encode(hashlib.md5(b).digest()).decode()[:8]
    if derivation == "sha256_suffix":
        return hashlib.sha256(b).hexdigest()[-8:].upper()
    if derivation == "sha1_salted":
        return hashlib.sha1(("wa:" + wid).encode()).hexdigest()[:8].upper()
    raise ValueError(derivation)


def ogg_duration(data):
    """(codec, seconds) from the first and the last Ogg page; None if not Ogg."""
    if not data.startswith(b"OggS") or len(data) < 64:
        return None
    first_payload = data[27 + data[26]:]
    last = data.rfind(b"OggS")
    gp = int.from_bytes(data[last + 6:last + 14], "little")
    if first_payload.startswith(b"OpusHead"):
        pre = int.from_bytes(first_payload[10:12], "little")
        return "opus", (gp - pre) / 48000.0
    if first_payload[1:7] == b"vorbis":
        rate = int.from_bytes(first_payload[12:16], "little")
        return "vorbis", gp / float(rate)
    return "ogg?", None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--decode", type=int, default=5)
    a = ap.parse_args()
    media = os.path.join(a.dir, "media")
    world = json.load(open(os.path.join(a.dir, "world.json"), encoding="utf-8"))
    D = world["deployment"]
    insts = {i["instance_id"]: i for c in world["clients"] for i in c["instances"]}
    con = sqlite3.connect(os.path.join(a.dir, "messages.sqlite"))
    rows = {r[0]: r for r in con.execute("SELECT id, chat_id, message_id, tipo, conteudo, data_envio FROM core_mensagem")}
    problems = []
    counts = {}

    def bump(k):
        counts[k] = counts.get(k, 0) + 1

    truth = list(csv.DictReader(open(os.path.join(a.dir, "truth.csv"), encoding="utf-8", newline="")))
    listed = set(t["file"] for t in truth)
    on_disk = set()
    for root, _, names in os.walk(media):
        for n in names:
            rel = os.path.relpath(os.path.join(root, n), media).replace(os.sep, "/")
            if "." in n and n.rsplit(".", 1)[1].lower() in AUDIO_EXTS:
                on_disk.add(rel)
    for p in sorted(on_disk - listed):
        problems.append("audio file not in truth: " + p)
    shas = {}
    decoded = 0
    for t in truth:
        p, mid, tags = t["file"], t["message_id"], set(filter(None, t["defects"].split(";")))
        full = os.path.join(media, *p.split("/"))
        if not os.path.exists(full):
            problems.append("missing file " + p)
            continue
        data = open(full, "rb").read()
        st = os.stat(full)
        sha = hashlib.sha256(data).digest()
        shas.setdefault(sha, []).append((p, mid, tags))
        bump("files")
        if not mid:
            bump("orphans")
            continue
        r = rows.get(int(mid))
        if r is None:
            problems.append("message %s of %s not in DB" % (mid, p))
            continue
        if r[3] != "audio":
            problems.append("message %s is %s" % (mid, r[3]))
        try:
            c = json.loads(r[4])
        except Exception:
            bump("legacy conteudo")
            continue
        am = c.get("audioMessage", {})
        wid = r[2] or c.get("key", {}).get("id")
        damaged = "damaged" in tags
        transcoded = "transcoded" in tags
        if "fileSha256" in am and not damaged:
            ok = base64.b64decode(am["fileSha256"]) == sha
            if transcoded:
                if ok:
                    problems.append("transcode matches its declared hash: " + p)
                bump("transcoded, hash differs")
            elif not ok:
                problems.append("fileSha256 mismatch " + p)
            else:
                bump("fileSha256 ok")
        if "fileLength" in am and not damaged and not transcoded:
            fl = am["fileLength"]
            fl = fl["low"] + (fl["high"] << 32) if isinstance(fl, dict) else int(fl)
            if fl != len(data):
                problems.append("fileLength mismatch " + p)
            else:
                bump("fileLength ok")
        if damaged and "fileSha256" in am and base64.b64decode(am["fileSha256"]) == sha:
            problems.append("damaged file still matches hash " + p)
        od = ogg_duration(data) if not damaged and not transcoded else None
        if od and od[1] is not None and "seconds" in am:
            dur = od[1]
            want = int(dur + 0.5) if D["seconds_mode"] == "round" else int(dur)
            if am["seconds"] != want:
                problems.append("seconds %s != %s (%.4f s) %s" % (am["seconds"], want, dur, p))
            else:
                bump("seconds ok (%s)" % od[0])
            if od[0] == "opus" and decoded < a.decode:
                pcm = subprocess.run(["opusdec", "--quiet", "--rate", "48000", full, "-"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
                if abs(len(pcm) / 2 / 48000.0 - dur) > 1e-9:
                    problems.append("opusdec length %.5f != granule %.5f %s" % (len(pcm) / 96000.0, dur, p))
                else:
                    bump("opusdec sample count == granule duration")
                decoded += 1
        parts = p.split("/")
        inst = insts[parts[1][len("instance_"):]]
        name = parts[-1]
        if name.startswith("msg_") and wid and inst["hash8_derivation"] and not inst["derivation_switch"]:
            tok = name.split("_")[1]
            if tok != hash8(inst["hash8_derivation"], wid):
                problems.append("token %s != %s(%s) %s" % (tok, inst["hash8_derivation"], wid, p))
            else:
                bump("token ok")
        if name.startswith(("msg_", "wapi_")) and "copied_mtime" not in tags:
            stamp = "_".join(name.rsplit(".", 1)[0].split("_")[-2:])
            local = datetime.strptime(stamp, "%Y%m%d_%H%M%S").replace(tzinfo=timezone.utc).timestamp()
            off = inst["server_utc_offset"]
            sign = -1 if off[0] == "-" else 1
            offs = sign * (int(off[1:3]) * 3600 + int(off[4:6]) * 60)
            delta = local - offs - st.st_mtime  # name clock (download start) - mtime (write end)
            if not (-4.0 <= delta <= 1.0):
                problems.append("name/mtime gap %.1f s %s" % (delta, p))
            else:
                bump("name clock ~ mtime")
    for sha, fs in shas.items():
        if len(fs) > 1 and sha != hashlib.sha256(b"").digest():
            mids = set(f[1] for f in fs)
            kinds = set(t for f in fs for t in f[2])
            if not ({"redownload", "forward"} & kinds):
                problems.append("duplicate content without redownload/forward: %s" % [f[0] for f in fs])
            else:
                bump("identical-content groups (redownload/forward)")
    for k in sorted(counts):
        print("%-45s %d" % (k, counts[k]))
    for pr in problems[:40]:
        print("PROBLEM", pr)
    print("%d problems" % len(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
