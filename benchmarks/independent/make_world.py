#!/usr/bin/env python3
"""Independent test-store generator for audiosync.

Draws one *deployment* of a WhatsApp multichat CRM per seed and writes:

  DIR/media/          the media store (spec section 1)
  DIR/messages.sqlite the message database (spec section 2 tables)
  DIR/truth.csv       file,message_id,defects (docs/truth-format.md); every AUDIO file
  DIR/world.json      every parameter drawn for this seed, plus counts

Written from the data contract (shared/spec/multichat-store.md) only.
Python 3 stdlib + opusenc/opusdec (opus-tools), oggenc (vorbis-tools), lame, ffmpeg, sox.

    python3 make_world.py --out DIR --seed N [--messages 6000] [--files 2000]
                          [--world-json PATH] [--workers 2]
"""

import argparse
import base64
import csv
import hashlib
import io
import json
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
import wave
import zlib
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
SR = 16000  # PCM rate every note is synthesised at
AUDIO_EXTS = ("ogg", "oga", "opus", "mp3", "m4a", "aac", "wav")
GENERATOR_VERSION = 1

# --------------------------------------------------------------------------------------------
# vocabulary

FIRST = ["João", "José", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luís",
         "Marcos", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo", "Felipe",
         "Raimundo", "Sebastião", "Cláudio", "Fábio", "Márcio", "Élton", "Elizeu", "Vinícius",
         "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda",
         "Patrícia", "Aline", "Sandra", "Camila", "Amanda", "Bruna", "Jéssica", "Letícia",
         "Júlia", "Luciana", "Vanessa", "Mariana", "Flávia", "Inês", "Conceição", "Lúcia",
         "Vitória", "Tânia", "Rosângela", "Gláucia", "Débora", "Cecília"]
SURN = ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
        "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares",
        "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira",
        "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves",
        "Araújo", "Simões", "Magalhães", "Brandão", "Batiliere", "Conceição", "Peixoto",
        "Guimarães", "Falcão", "Estêvão", "Sá", "Galvão", "Romão", "Assunção"]
PARTICLES = ["da", "de", "dos", "das", "Dos", "Da"]
BUSINESS = ["Clínica Odontológica Sorriso", "Imobiliária Porto Velho", "Auto Peças São Cristóvão",
            "Ótica Visão", "Farmácia Popular Ji-Paraná", "Construtora Alvorada",
            "Escritório Contábil Guaporé", "Salão Beleza Pura", "Padaria Pão de Açúcar",
            "Academia Corpo em Movimento", "Pet Shop Amigo Fiel", "Agropecuária Rondônia",
            "Consultório Dra Lúcia Magalhães", "Escola de Idiomas Fênix", "Distribuidora União",
            "Materiais de Construção Irmãos Araújo", "Advocacia Simões e Galvão",
            "Loja Maçã Verde", "Transportadora Rápido Norte", "Hotel Veredas"]
GROUPS = ["Equipe Vendas", "Família", "Grupo Obra Centro", "Atendimento", "Diretoria",
          "Turma 2024", "Condomínio Jardim das Flores", "Clientes VIP", "Logística", "Financeiro"]
TEXTS = ["Olá, tudo bem?", "Bom dia!", "Pode me mandar o orçamento?", "Obrigado!",
         "Vou verificar e te retorno", "Qual o horário de atendimento?", "Ok, combinado",
         "Segue o comprovante", "Amanhã às 9h?", "Estou a caminho", "Pode ser",
         "Quanto fica a entrega?", "Recebi, obrigada", "Boa tarde, gostaria de agendar",
         "Perfeito 👍", "Vocês abrem sábado?", "Já foi pago", "Me liga quando puder"]
DDDS = [11, 21, 27, 31, 41, 48, 51, 61, 62, 63, 65, 66, 67, 68, 69, 71, 79, 81, 84, 85, 91, 92,
        95, 96, 98]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

KNOWN_DERIVATIONS = ["id_prefix", "id_suffix", "md5", "sha1", "sha256"]
UNKNOWN_DERIVATIONS = ["sha512", "md5_lower", "crc32", "base32", "sha256_suffix", "sha1_salted"]


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
        return base64.b32encode(hashlib.md5(b).digest()).decode()[:8]  # base32 of md5(id)
    if derivation == "sha256_suffix":
        return hashlib.sha256(b).hexdigest()[-8:].upper()
    if derivation == "sha1_salted":
        return hashlib.sha1(("wa:" + wid).encode()).hexdigest()[:8].upper()
    raise ValueError(derivation)


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def b64(b):
    return base64.b64encode(b).decode()


def fmt_utc(t, micro=True):
    d = datetime.fromtimestamp(t, UTC)
    if micro and d.microsecond:
        return d.strftime("%Y-%m-%d %H:%M:%S.%f")
    return d.strftime("%Y-%m-%d %H:%M:%S")


def loguniform(rng, a, b):
    return math.exp(rng.uniform(math.log(a), math.log(b)))


def maybe(rng, p_zero, lo, hi):
    """0 with probability p_zero, else U(lo, hi)."""
    return 0.0 if rng.random() < p_zero else round(rng.uniform(lo, hi), 4)


# --------------------------------------------------------------------------------------------
# 1. the deployment parameters (everything world.json lists under "deployment")

def draw_deployment(rng):
    D = {}
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 640))
    D["period_start"] = start.strftime("%Y-%m-%d")
    D["period_days"] = rng.randint(60, 120)
    D["n_clients"] = rng.choices([1, 2, 3, 4], [0.3, 0.3, 0.25, 0.15])[0]
    D["instances_per_client_weights"] = [0.5, 0.35, 0.15]
    D["late_instance_prob"] = 0.25
    D["messages_per_chat"] = round(rng.uniform(15, 60), 1)
    D["zipf_s"] = round(rng.uniform(0.7, 1.4), 3)
    D["session_mean_len"] = round(rng.uniform(2, 8), 2)
    D["group_chat_share"] = maybe(rng, 0.2, 0.02, 0.25)
    D["old_style_group_share"] = round(rng.uniform(0, 0.3), 3)
    D["shared_contact_share"] = maybe(rng, 0.4, 0.01, 0.1)
    D["own_number_as_contact_prob"] = 0.3
    D["chat_no_instance_share"] = maybe(rng, 0.7, 0.05, 0.5)
    w = [rng.random() * x for x in (3, 1, 1, 1)]
    s = sum(w)
    D["chat_id_format_weights"] = {k: round(v / s, 3) for k, v in
                                   zip(["s.whatsapp.net", "c.us", "bare", "punct"], w)}
    D["ninth_digit_share"] = maybe(rng, 0.4, 0.02, 0.3)
    D["landline_share"] = round(rng.uniform(0, 0.08), 3)
    # message ids
    web = rng.uniform(0, 0.7)
    ios = (1 - web) * rng.uniform(0.2, 0.6)
    D["id_mix"] = {"web": round(web, 3), "ios": round(ios, 3), "android": round(1 - web - ios, 3)}
    D["web_id_hex_lengths"] = rng.choice([[16], [16, 18, 20], [18, 20], [20]])
    D["gateway_id_share_of_from_me"] = maybe(rng, 0.7, 0.1, 0.9)
    D["from_me_share"] = round(rng.uniform(0.1, 0.5), 3)
    D["null_message_id_share"] = maybe(rng, 0.6, 0.01, 0.2)
    D["no_message_id_share"] = maybe(rng, 0.7, 0.002, 0.02)
    # HASH8
    D["main_derivation"] = rng.choices(KNOWN_DERIVATIONS, [3, 2, 2, 1, 2])[0]
    D["other_derivation_instance_prob"] = round(rng.uniform(0, 0.3), 3)
    D["unknown_derivation"] = rng.random() < 0.25
    D["unknown_derivation_kind"] = rng.choice(UNKNOWN_DERIVATIONS) if D["unknown_derivation"] else None
    D["derivation_switch_prob"] = 0.1
    D["full_id_name_share"] = maybe(rng, 0.7, 0.01, 0.1)
    D["full_id_name_transcoded"] = rng.random() < 0.5
    D["no_token_share"] = maybe(rng, 0.5, 0.01, 0.1)
    # clocks
    D["tz_shared"] = rng.random() < 0.7
    D["server_offset_min"] = draw_offset(rng)
    # Not drawn (so every seed's world stays what it was): a server whose zone keeps daylight
    # saving time names its files an hour differently either side of the change. Set it with
    # --world-json, e.g. {"server_zone": "America/New_York"}; it then names every instance's files.
    D["server_zone"] = None
    D["skew_max_s"] = rng.choice([0, 5, 30, 120])
    D["drift"] = rng.random() < 0.3
    D["backfill_share"] = round(rng.uniform(0, 0.05), 3) if rng.random() < 0.3 else round(
        rng.uniform(0.05, 0.8), 3)
    D["backfill_event_interval_min"] = round(rng.uniform(20, 180), 1)
    D["backfill_lag_range_s"] = [120, 21 * 86400]
    D["import_order"] = rng.choice(["send_time", "chat"])
    D["live_insert_lag_s"] = [0, 3]
    D["live_download_lag_median_s"] = round(rng.uniform(2, 8), 2)
    D["backfill_download_delay_s"] = [2, rng.choice([20, 60, 180])]
    D["copy_batch"] = rng.random() < 0.25
    D["copy_batch_instance_share"] = round(rng.uniform(0.3, 1.0), 3)
    D["data_envio_microseconds"] = rng.random() < 0.8
    # conteudo
    D["ts_unit"] = "ms" if rng.random() < 0.2 else "s"
    D["ts_string_share"] = maybe(rng, 0.6, 0.1, 1.0)
    D["ts_missing_share"] = maybe(rng, 0.5, 0.01, 0.3)
    D["key_in_conteudo"] = rng.random() < 0.5
    D["json_style"] = rng.choice(["audio_first", "key_first"])
    D["json_ensure_ascii"] = rng.random() < 0.5
    D["sha_missing_share"] = maybe(rng, 0.4, 0.0, 0.6)
    D["sha_missing_by_date"] = rng.random() < 0.7
    w = [rng.random() for _ in range(3)]
    s = sum(w)
    D["file_length_format_weights"] = {k: round(v / s, 3) for k, v in
                                       zip(["string", "number", "lowhigh"], w)}
    D["seconds_mode"] = "round" if rng.random() < 0.2 else "trunc"
    D["seconds_missing_share"] = 1.0 if rng.random() < 0.05 else maybe(rng, 0.5, 0.0, 0.3)
    D["ptt_missing_share"] = maybe(rng, 0.7, 0.05, 0.5)
    D["mimetype_plain_ogg_share"] = maybe(rng, 0.8, 0.05, 0.5)
    D["waveform_field"] = rng.random() < 0.4
    D["legacy_conteudo_share"] = maybe(rng, 0.6, 0.005, 0.05)
    D["nonaudio_rows_per_audio_row"] = round(rng.uniform(0.3, 1.5), 3)
    D["texto_plain_share"] = maybe(rng, 0.6, 0.1, 1.0)
    # audio formats
    D["duration_median_s"] = round(rng.uniform(3, 7), 2)
    D["duration_sigma"] = round(rng.uniform(0.6, 0.9), 3)
    D["subsecond_note_share"] = round(rng.uniform(0, 0.02), 4)
    D["transcode_share"] = maybe(rng, 0.55, 0.05, 0.4)
    D["transcode_formats"] = rng.choice([["mp3"], ["m4a"], ["mp3", "m4a"]])
    D["transcode_all_instances"] = rng.random() < 0.5
    D["vorbis_share"] = maybe(rng, 0.5, 0.005, 0.03)
    D["ext_lie_share"] = maybe(rng, 0.6, 0.005, 0.03)
    D["attachment_share"] = maybe(rng, 0.5, 0.005, 0.06)
    D["opus_complexity"] = 0  # encoder speed; libopus complexity 0 is ~2x faster than 5
    D["opus_ext_weights"] = {"ogg": 0.75, "oga": 0.12, "opus": 0.13}
    # placement
    D["own_number_folders"] = rng.random() < 0.4
    D["own_number_share"] = round(rng.uniform(0, 1), 3)
    D["group_sender_folder_share"] = maybe(rng, 0.5, 0.2, 1.0)
    D["kind_folder_prob"] = round(rng.uniform(0, 1), 3)
    D["kind_folder_switch_prob"] = 0.15
    # small-share defects
    D["redownload_share"] = maybe(rng, 0.3, 0.005, 0.05)
    D["forward_share"] = maybe(rng, 0.3, 0.005, 0.04)
    D["orphan_share"] = maybe(rng, 0.2, 0.01, 0.1)
    w = [rng.random() for _ in range(3)]
    if rng.random() < 0.5:
        w[2] = 0.0
    s = sum(w)
    D["orphan_kind_weights"] = {k: round(v / s, 3) for k, v in
                                zip(["deleted_row", "deleted_chat", "unknown_instance"], w)}
    D["damaged_share"] = maybe(rng, 0.3, 0.005, 0.04)
    D["stale_local_path_share"] = maybe(rng, 0.6, 0.01, 0.1)
    w = [rng.random() for _ in range(3)]
    s = sum(w)
    D["stale_kind_weights"] = {k: round(v / s, 3) for k, v in zip(["right", "wrong", "missing"], w)}
    D["nonaudio_file_share"] = round(rng.uniform(0.05, 0.3), 3)
    D["stray_share"] = round(rng.uniform(0, 0.05), 3)
    D["sidecar_share"] = maybe(rng, 0.7, 0.2, 1.0)
    return D


def name_time(D, inst, t):
    """The server's local time at UTC second t, as a file name states it."""
    if D.get("server_zone"):
        return datetime.fromtimestamp(t, ZoneInfo(D["server_zone"]))
    return datetime.fromtimestamp(t + inst.offset_min * 60, UTC)


def draw_offset(rng):
    r = rng.random()
    if r < 0.5:
        return -180
    if r < 0.75:
        return -240
    if r < 0.85:
        return 0
    quarters = [m for m in range(-300, 61, 15) if m not in (-180, -240, 0)]
    return rng.choice(quarters)


# --------------------------------------------------------------------------------------------
# 2. world model

class Client:
    pass


class Instance:
    def clock(self, t):
        return t + self.skew_s + self.drift_s_per_day * (t - self.t0) / 86400.0

    def derivation_at(self, t):
        if self.switch_at is not None and t >= self.switch_at:
            return self.switch_to
        return self.derivation


class Chat:
    pass


class Msg:
    __slots__ = ("chat", "tipo", "from_me", "sender", "wid", "wid_kind", "send", "insert",
                 "backfill", "note", "pk", "in_db", "deleted", "downloaded", "files",
                 "null_mid", "no_mid", "legacy", "miss_sha", "miss_len", "miss_sec", "miss_ts",
                 "ts_string", "miss_ptt", "stale", "forward_of", "forwarded", "dur", "nonaudio_file",
                 "remetente", "idx")

    def __init__(self):
        for k in self.__slots__:
            setattr(self, k, None)
        self.files = []


class Note:
    __slots__ = ("id", "n", "codec", "seed", "bitrate", "framesize", "serial", "ptt", "mimetype",
                 "variants", "sha", "size", "url", "direct_path", "media_key", "enc_sha",
                 "mkts", "waveform", "bytes")

    def __init__(self):
        for k in self.__slots__:
            setattr(self, k, None)
        self.variants = []


class File:
    __slots__ = ("path", "msg", "note", "variant", "damage", "tags", "start", "end", "mtime",
                 "audio", "data", "redl_of", "inst", "folder", "kind", "name_style", "ext", "token")

    def __init__(self):
        for k in self.__slots__:
            setattr(self, k, None)
        self.tags = []


def make_phone(rng, ddd, landline=False):
    if landline:
        return "55%02d%d%07d" % (ddd, rng.randint(2, 5), rng.randint(0, 9999999))
    return "55%02d9%d%07d" % (ddd, rng.randint(6, 9), rng.randint(0, 9999999))


def drop_ninth(d):
    # 55 DD 9 XXXXXXXX -> 55 DD XXXXXXXX
    if len(d) == 13 and d[4] == "9":
        return d[:4] + d[5:]
    return d


def add_ninth(d):
    if len(d) == 12 and d[4] in "6789":
        return d[:4] + "9" + d[4:]
    return d


def fmt_chat_id(rng, digits, fmt):
    if fmt == "s.whatsapp.net":
        return digits + "@s.whatsapp.net"
    if fmt == "c.us":
        return digits + "@c.us"
    if fmt == "bare":
        return digits
    # punctuation
    cc, ddd, rest = digits[:2], digits[2:4], digits[4:]
    a, b = rest[:-4], rest[-4:]
    style = rng.randint(0, 3)
    if style == 0:
        return "+%s (%s) %s-%s" % (cc, ddd, a, b)
    if style == 1:
        return "%s %s %s-%s" % (cc, ddd, a, b)
    if style == 2:
        return "+" + digits
    return "(%s) %s-%s" % (ddd, a, b) if rng.random() < 0.3 else "+%s %s %s %s" % (cc, ddd, a, b)


def person_name(rng):
    parts = [rng.choice(FIRST)]
    if rng.random() < 0.4:
        parts.append(rng.choice(FIRST))
    if rng.random() < 0.4:
        parts.append(rng.choice(PARTICLES))
    parts.append(rng.choice(SURN))
    if rng.random() < 0.5:
        parts.append(rng.choice(SURN))
    return " ".join(parts)


class World:
    def __init__(self, seed, D, n_audio, n_files, rng):
        self.seed = seed
        self.D = D
        self.rng = rng
        self.n_audio = n_audio
        self.n_files = n_files
        self.t_start = datetime.strptime(D["period_start"], "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
        self.t_end = self.t_start + D["period_days"] * 86400
        self.used_wids = set()
        self.clients = []
        self.instances = []
        self.chats = []
        self.msgs = []
        self.notes = []
        self.files = []
        self.used_paths = set()

    # ---- ids
    def new_wid(self, kind):
        rng = self.rng
        while True:
            if kind == "web":
                k = rng.choice(self.D["web_id_hex_lengths"])
                w = "3EB0" + "%0*X" % (k, rng.getrandbits(4 * k))
            elif kind == "ios":
                w = "3A" + "%018X" % rng.getrandbits(72)
            elif kind == "gateway":
                w = "BAE5" + "%012X" % rng.getrandbits(48)
            else:
                w = "%032X" % rng.getrandbits(128)
            if w not in self.used_wids:
                self.used_wids.add(w)
                return w

    def draw_wid_kind(self, from_me):
        D, rng = self.D, self.rng
        if from_me and rng.random() < D["gateway_id_share_of_from_me"]:
            return "gateway"
        m = D["id_mix"]
        return rng.choices(["web", "ios", "android"], [m["web"], m["ios"], max(0.0, m["android"])])[0]

    # ---- structure
    def build_structure(self):
        D, rng = self.D, self.rng
        used_names = set()
        for ci in range(D["n_clients"]):
            c = Client()
            c.pk = ci + 1
            while True:
                nome = person_name(rng) if rng.random() < 0.55 else rng.choice(BUSINESS)
                if nome not in used_names:
                    break
            used_names.add(nome)
            c.nome = nome
            c.strip_accents = rng.random() < 0.5
            base = strip_accents(nome) if c.strip_accents else nome
            c.nfd = (not c.strip_accents) and base != strip_accents(base) and rng.random() < 0.15
            folder = base.replace(" ", "_")
            c.folder = unicodedata.normalize("NFD" if c.nfd else "NFC", folder)
            c.human_offset_min = rng.choices([-180, -240, -300], [0.75, 0.2, 0.05])[0]
            c.ddd = rng.choice(DDDS)
            c.instances = []
            c.weight = rng.expovariate(1.0) + 0.2
            self.clients.append(c)
            k = rng.choices([1, 2, 3], D["instances_per_client_weights"])[0]
            for _ in range(k):
                self.instances.append(self.make_instance(c, in_db=True))
        if D["unknown_derivation"] and not any(i.unknown for i in self.instances):
            inst = rng.choice(self.instances)
            inst.derivation, inst.unknown = D["unknown_derivation_kind"], True
            if inst.switch_to == inst.derivation:
                inst.switch_at = inst.switch_to = None
        # the server clock
        for inst in self.instances:
            if D["tz_shared"]:
                inst.offset_min = D["server_offset_min"]
            else:
                inst.offset_min = draw_offset(rng)

    def make_instance(self, c, in_db):
        D, rng = self.D, self.rng
        inst = Instance()
        inst.client = c
        inst.in_db = in_db
        inst.instance_id = "-".join("".join(rng.choice(ALNUM) for _ in range(6)) for _ in range(3))
        inst.own_number = make_phone(rng, c.ddd)
        # own number as the JID form WhatsApp uses (sometimes without the ninth digit)
        inst.own_folder = drop_ninth(inst.own_number) if rng.random() < 0.3 else inst.own_number
        if D["unknown_derivation"] and in_db and rng.random() < 0.6:
            inst.derivation = D["unknown_derivation_kind"]
            inst.unknown = True
        else:
            inst.unknown = False
            if rng.random() < D["other_derivation_instance_prob"]:
                inst.derivation = rng.choice([d for d in KNOWN_DERIVATIONS if d != D["main_derivation"]])
            else:
                inst.derivation = D["main_derivation"]
        inst.switch_at = None
        inst.switch_to = None
        if rng.random() < D["derivation_switch_prob"]:
            inst.switch_at = self.t_start + rng.uniform(0.3, 0.8) * (self.t_end - self.t_start)
            inst.switch_to = rng.choice([d for d in KNOWN_DERIVATIONS if d != inst.derivation])
        sm = D["skew_max_s"]
        if sm == 0:
            inst.skew_s = 0.0
        elif rng.random() < 0.5:
            inst.skew_s = round(rng.uniform(-min(sm, 3), min(sm, 3)), 3)
        else:
            inst.skew_s = round(rng.uniform(-sm, sm), 3)
        inst.drift_s_per_day = round(rng.choice([-1, 1]) * rng.uniform(0.2, 3.0), 3) if D["drift"] else 0.0
        inst.t0 = self.t_start
        inst.offset_min = D["server_offset_min"]
        r = rng.random()
        if r < D["kind_folder_prob"]:
            inst.kind_mode = "always"
        elif rng.random() < D["kind_folder_switch_prob"]:
            inst.kind_mode = "switch"
        else:
            inst.kind_mode = "none"
        inst.kind_switch_at = self.t_start + rng.uniform(0.2, 0.8) * (self.t_end - self.t_start)
        inst.opus_ext = rng.choices(list(D["opus_ext_weights"]), list(D["opus_ext_weights"].values()))[0]
        inst.bitrate = rng.choice([12, 16, 20, 24, 32])
        inst.framesize = rng.choice([20, 40, 60])
        # all instances behind the transcoding gateway, or about half of them
        if D["transcode_share"] > 0 and (D["transcode_all_instances"] or rng.random() < 0.5):
            inst.transcode_share = D["transcode_share"]
        else:
            inst.transcode_share = 0.0
        inst.transcode_format = rng.choice(D["transcode_formats"])
        inst.full_id_share = D["full_id_name_share"] * rng.choice([0, 1, 1, 2])
        inst.no_token_share = D["no_token_share"] * rng.choice([0, 1, 1, 2])
        a, b = self.t_start, self.t_end
        if in_db and c.instances and rng.random() < D["late_instance_prob"]:
            a = self.t_start + rng.uniform(0.2, 0.6) * (b - a)
        inst.active = (a, b)
        inst.backfill_share = min(0.95, D["backfill_share"] * rng.uniform(0.5, 1.5))
        inst.pk = None
        c.instances.append(inst)
        return inst

    def build_chats(self):
        D, rng = self.D, self.rng
        n_audio = self.n_audio
        n_non = int(round(n_audio * D["nonaudio_rows_per_audio_row"]))
        total = n_audio + n_non
        n_chats = max(3 * len(self.instances), int(round(total / D["messages_per_chat"])))
        insts = [i for i in self.instances if i.in_db]
        cw = [c.weight for c in self.clients]
        all_contacts = []
        for k in range(n_chats):
            ch = Chat()
            ch.in_db = True
            if k < len(insts):
                inst = insts[k]
            else:
                c = rng.choices(self.clients, cw)[0]
                inst = rng.choice(c.instances)
            ch.inst = inst
            ch.client = inst.client
            self.init_chat(ch, all_contacts)
            self.chats.append(ch)
        # zipf weights in random rank order
        ranks = list(range(1, n_chats + 1))
        rng.shuffle(ranks)
        for ch, r in zip(self.chats, ranks):
            ch.zipf_w = 1.0 / r ** D["zipf_s"]
        return n_non

    def init_chat(self, ch, all_contacts, phantom=False):
        D, rng = self.D, self.rng
        c = ch.client
        ch.is_group = rng.random() < D["group_chat_share"]
        ch.participants = []
        ch.ninth = None
        if ch.is_group:
            if rng.random() < D["old_style_group_share"]:
                creator = make_phone(rng, c.ddd)
                gid = "%s-%d" % (creator, rng.randint(1400000000, 1700000000))
            else:
                gid = "120363%012d" % rng.randint(0, 10 ** 12 - 1)
            ch.digits = "".join(x for x in gid if x.isdigit())
            ch.chat_id = gid + "@g.us"
            ch.folder = ch.digits
            ch.name = rng.choice(GROUPS)
            for _ in range(rng.randint(3, 12)):
                if all_contacts and rng.random() < 0.3:
                    p = rng.choice(all_contacts)
                else:
                    p = make_phone(rng, c.ddd if rng.random() < 0.8 else rng.choice(DDDS))
                # participants' JIDs sometimes lack the ninth digit
                ch.participants.append(drop_ninth(p) if rng.random() < 0.2 else p)
        else:
            other_owns = [i.own_number for i in self.instances if i.client is not c and i.in_db]
            if other_owns and rng.random() < D["own_number_as_contact_prob"] * 0.1:
                num = rng.choice(other_owns)
                ch.shared_reason = "own_number_of_other"
            elif all_contacts and rng.random() < D["shared_contact_share"]:
                num = rng.choice(all_contacts)
            else:
                landline = rng.random() < D["landline_share"]
                num = make_phone(rng, c.ddd if rng.random() < 0.85 else rng.choice(DDDS), landline)
            all_contacts.append(num)
            db_digits = folder_digits = num
            if len(num) == 13 and rng.random() < D["ninth_digit_share"]:
                if rng.random() < 0.5:
                    folder_digits = drop_ninth(num)
                    ch.ninth = "folder_12"
                else:
                    db_digits = drop_ninth(num)
                    ch.ninth = "db_12"
            fmtw = D["chat_id_format_weights"]
            fmt = rng.choices(list(fmtw), list(fmtw.values()))[0]
            ch.chat_id = fmt_chat_id(rng, db_digits, fmt)
            ch.digits = num
            ch.folder = folder_digits
            ch.name = person_name(rng) if rng.random() < 0.7 else None
        ch.db_instance = None if (not phantom and rng.random() < D["chat_no_instance_share"]) else ch.inst
        ch.phantom = phantom

    # ---- messages
    def build_messages(self, n_non):
        D, rng = self.D, self.rng
        total = self.n_audio + n_non
        tipos = ["audio"] * self.n_audio + rng.choices(
            ["texto", "imagem", "documento", "video", "sticker"], [70, 15, 5, 5, 5], k=n_non)
        rng.shuffle(tipos)
        chat_of = rng.choices(self.chats, [c.zipf_w for c in self.chats], k=total)
        per_chat = {}
        for ch, t in zip(chat_of, tipos):
            per_chat.setdefault(id(ch), (ch, []))[1].append(t)
        for ch in self.chats:
            entry = per_chat.get(id(ch))
            if entry:
                self.fill_chat(ch, entry[1])

    def draw_duration(self):
        D, rng = self.D, self.rng
        if rng.random() < D["subsecond_note_share"]:
            d = rng.uniform(0.4, 0.99)
        else:
            d = min(120.0, max(1.0, rng.lognormvariate(math.log(D["duration_median_s"]), D["duration_sigma"])))
        return int(round(d * SR)) + rng.randint(0, 159)

    def fill_chat(self, ch, tipos, all_audio_downloaded=False):
        D, rng = self.D, self.rng
        inst = ch.inst
        a, b = inst.active
        msgs = []
        for t in tipos:
            m = Msg()
            m.idx = len(self.msgs) + len(msgs)
            m.chat = ch
            m.tipo = t
            m.in_db = not ch.phantom
            m.deleted = False
            m.from_me = rng.random() < (D["from_me_share"] * (0.4 if ch.is_group else 1.0))
            if ch.is_group and not m.from_me:
                m.sender = rng.choice(ch.participants)
            m.wid_kind = self.draw_wid_kind(m.from_me)
            m.wid = self.new_wid(m.wid_kind)
            if t == "audio":
                m.dur = self.draw_duration()
            msgs.append(m)
        # sessions
        i = 0
        while i < len(msgs):
            size = 1 + int(rng.expovariate(1.0 / max(0.01, D["session_mean_len"] - 1)))
            t = sample_business_time(rng, a, b, ch.client.human_offset_min)
            for m in msgs[i:i + size]:
                gap = min(1800.0, max(1.5, rng.lognormvariate(math.log(35), 1.2)))
                if m.tipo == "audio":
                    gap += m.dur / SR  # recording takes as long as the note
                t += gap
                m.send = t
            i += size
        for m in msgs:
            self.msgs.append(m)
        return msgs

    # ---- notes (audio contents)
    def new_note(self, m):
        D, rng = self.D, self.rng
        n = Note()
        n.id = len(self.notes)
        n.n = m.dur
        n.seed = rng.getrandbits(63)
        n.serial = rng.getrandbits(31)
        inst = m.chat.inst
        r = rng.random()
        if r < D["attachment_share"]:
            n.codec = rng.choices(["mp3", "m4a", "aac", "wav"], [5, 3, 1, 1])[0]
            n.ptt = False
            n.n = min(120 * SR, int(n.n * 1.5))
            n.mimetype = {"mp3": "audio/mpeg", "m4a": "audio/mp4", "aac": "audio/aac",
                          "wav": "audio/wav"}[n.codec]
        elif r < D["attachment_share"] + D["vorbis_share"]:
            n.codec = "vorbis"
            n.ptt = True
            n.mimetype = "audio/ogg"
        else:
            n.codec = "opus"
            n.ptt = True
            n.mimetype = "audio/ogg" if rng.random() < D["mimetype_plain_ogg_share"] else "audio/ogg; codecs=opus"
        n.bitrate = inst.bitrate
        n.framesize = inst.framesize
        a, b2, c3 = rng.randint(10 ** 7, 10 ** 9), rng.randint(10 ** 14, 10 ** 16), rng.randint(10 ** 14, 10 ** 16)
        oh = base64.urlsafe_b64encode(rng.randbytes(30)).decode().rstrip("=")
        oe = "%08X" % rng.getrandbits(32)
        n.direct_path = "/v/t62.7117-24/%d_%d_%d_n.enc?ccb=11-4&oh=01_%s&oe=%s&_nc_sid=5e03e0" % (a, b2, c3, oh, oe)
        n.url = "https://mmg.whatsapp.net" + n.direct_path + "&mms3=true"
        n.media_key = b64(rng.randbytes(32))
        n.enc_sha = b64(rng.randbytes(32))
        n.mkts = int(m.send - rng.uniform(0, 5))
        n.waveform = b64(bytes(rng.randint(0, 100) for _ in range(64)))
        # declared size/hash for notes that never reach the store (overwritten for stored ones)
        secs = n.n / SR
        if n.codec in ("opus", "vorbis"):
            est = secs * n.bitrate * 1000 / 8 * 1.07 + 900
        elif n.codec == "wav":
            est = 44 + n.n * 2
        else:
            est = secs * 64000 / 8 + 600
        n.size = int(est * rng.uniform(0.9, 1.1))
        n.sha = rng.randbytes(32)
        self.notes.append(n)
        return n


def sample_business_time(rng, a, b, offset_min):
    hour_w = [0.03, 0.02, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.7, 1, 1, 1, 0.7, 0.7, 1, 1, 1, 1,
              0.8, 0.6, 0.45, 0.3, 0.15, 0.07]
    day_w = [1, 1, 1, 1, 1, 0.55, 0.25]
    t = a
    b = max(a + 60, b - 3600)
    for _ in range(60):
        t = rng.uniform(a, b)
        d = datetime.fromtimestamp(t + offset_min * 60, UTC)
        if rng.random() < day_w[d.weekday()] * hour_w[d.hour]:
            return t
    return t


# --------------------------------------------------------------------------------------------
# 3. audio encoding (runs in the worker pool)

def _run(cmd, data=None):
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], p.stderr.decode(errors="replace")[-500:]))
    return p.stdout


_LEVELS = {}


def _level_table(k):
    """Byte translation scaling a signed high byte by k/128."""
    t = _LEVELS.get(k)
    if t is None:
        t = bytes((((b if b < 128 else b - 256) * k) // 128) & 0xFF for b in range(256))
        _LEVELS[k] = t
    return t


def speechlike_noise(rng, n):
    """n 16-bit samples: noise bursts of syllable length and level, with short gaps and pauses."""
    out = bytearray()
    want = 2 * n
    while len(out) < want:
        syl = int(rng.uniform(0.06, 0.30) * SR)
        chunk = bytearray(rng.randbytes(2 * syl))
        chunk[1::2] = bytes(chunk[1::2]).translate(_level_table(rng.randint(12, 100)))
        out += chunk
        gap = rng.uniform(0.25, 0.8) if rng.random() < 0.12 else rng.uniform(0.02, 0.12)
        out += bytes(2 * int(gap * SR))
    return bytes(out[:want])


def encode_batch(jobs):
    """Encode a batch of notes; the M4A transcodes of the batch share one ffmpeg process
    (ffmpeg's start-up costs more than encoding a short note)."""
    tmp = tempfile.mkdtemp(prefix="mkworld_")
    try:
        results = []
        m4a = []
        for j in jobs:
            d = os.path.join(tmp, str(j["id"]))
            os.mkdir(d)
            out = encode_job(j, d)
            results.append((j["id"], out))
            if "m4at" in j["variants"]:
                m4a.append((j["id"], d, out))
        if m4a:
            cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-threads", "1"]
            for _, d, _ in m4a:
                cmd += ["-i", os.path.join(d, "orig")]
            for k, (_, d, _) in enumerate(m4a):
                cmd += ["-map", "%d:a" % k, "-ac", "1", "-ar", str(SR), "-c:a", "aac", "-b:a", "32k",
                        "-aac_coder", "fast", "-map_metadata", "-1", "-fflags", "+bitexact",
                        "-flags:a", "+bitexact", "-f", "mp4", os.path.join(d, "t.m4a")]
            _run(cmd)
            for _, d, out in m4a:
                with open(os.path.join(d, "t.m4a"), "rb") as f:
                    out["m4at"] = f.read()
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def encode_job(job, tmp):
    """One note: the original encoding (+ an MP3 transcode), files left in tmp."""
    rng = random.Random(job["seed"])
    n = job["n"]
    noise = speechlike_noise(rng, n)
    pitch = rng.uniform(90, 260)
    lo, hi = rng.uniform(150, 350), rng.uniform(2800, 3800)
    pcm = _run(["sox", "-R", "-t", "raw", "-r", str(SR), "-e", "signed", "-b", "16", "-c", "1", "-",
                "-t", "raw", "-", "synth", "sawtooth", "amod", "%.2f" % pitch,
                "sinc", "%d-%d" % (lo, hi), "vol", "%.3f" % rng.uniform(0.5, 0.9)], noise)
    if len(pcm) != n * 2:
        raise RuntimeError("sox returned %d bytes, wanted %d" % (len(pcm), n * 2))
    out = {}
    codec = job["codec"]
    orig = os.path.join(tmp, "orig")
    if codec == "opus":
        _run(["opusenc", "--quiet", "--comp", str(job["complexity"]), "--raw", "--raw-rate", str(SR), "--raw-chan", "1",
              "--serial", str(job["serial"]), "--bitrate", str(job["bitrate"]),
              "--framesize", str(job["framesize"]), "-", orig], pcm)
    elif codec == "vorbis":
        _run(["oggenc", "-Q", "-r", "-B", "16", "-C", "1", "-R", str(SR), "-q", "0",
              "--serial", str(job["serial"]), "-o", orig, "-"], pcm)
    elif codec == "mp3":
        _run(["lame", "--quiet", "-r", "-s", "16", "--bitwidth", "16", "--signed", "--little-endian",
              "-m", "m", "-b", "64", "-", orig], pcm)
    elif codec in ("m4a", "aac"):
        _run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-threads", "1", "-f", "s16le", "-ar", str(SR),
              "-ac", "1", "-i", "-", "-c:a", "aac", "-b:a", "48k", "-map_metadata", "-1",
              "-fflags", "+bitexact", "-flags:a", "+bitexact",
              "-f", "mp4" if codec == "m4a" else "adts", orig], pcm)
    elif codec == "wav":
        bio = io.BytesIO()
        w = wave.open(bio, "wb")
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm)
        w.close()
        with open(orig, "wb") as f:
            f.write(bio.getvalue())
    with open(orig, "rb") as f:
        out["orig"] = f.read()
    if "mp3t" in job["variants"]:
        dec = _run(["opusdec", "--quiet", "--rate", str(SR), orig, "-"])
        _run(["lame", "--quiet", "-r", "-s", "16", "--bitwidth", "16", "--signed", "--little-endian",
              "-m", "m", "-b", "32", "-", os.path.join(tmp, "t.mp3")], dec)
        with open(os.path.join(tmp, "t.mp3"), "rb") as f:
            out["mp3t"] = f.read()
    return out


# --------------------------------------------------------------------------------------------
# 4. the generator proper

class Generator:
    def __init__(self, seed, n_audio, n_files, overrides, workers):
        self.seed = seed
        self.workers = workers
        drng = random.Random("deployment:%d" % seed)
        D = draw_deployment(drng)
        for k, v in (overrides or {}).items():
            if k not in D:
                raise SystemExit("--world-json: unknown deployment parameter %r" % k)
            D[k] = v
        self.D = D
        self.rng = random.Random("world:%d" % seed)
        self.W = World(seed, D, n_audio, n_files, self.rng)

    # ---------------------------------------------------------------- planning
    def plan(self):
        W, D, rng = self.W, self.D, self.rng
        W.build_structure()
        n_non = W.build_chats()
        W.build_messages(n_non)
        audio = [m for m in W.msgs if m.tipo == "audio"]
        self.plan_row_fields(audio)
        self.plan_forwards(audio)
        self.plan_inserts()
        F = W.n_files
        n_orph = int(round(F * D["orphan_share"]))
        ow = D["orphan_kind_weights"]
        n_del_row = int(round(n_orph * ow["deleted_row"]))
        n_del_chat = int(round(n_orph * ow["deleted_chat"]))
        n_unk = n_orph - n_del_row - n_del_chat
        n_redl = int(round(F * D["redownload_share"]))
        n_dl = max(0, F - n_redl - n_del_chat - n_unk)  # includes the deleted-row orphans
        n_dl = min(n_dl, len(audio))
        self.plan_downloads(audio, n_dl)
        phantom_msgs = self.plan_phantoms(n_del_chat, n_unk)
        # deleted rows: downloaded messages whose row is gone
        cands = [m for m in audio if m.downloaded and not m.forwarded and m.forward_of is None]
        rng.shuffle(cands)
        for m in cands[:n_del_row]:
            m.deleted = True
        self.assign_pks()
        # non-audio media downloads
        media = [m for m in W.msgs if m.tipo in ("imagem", "documento", "video", "sticker") and m.in_db]
        k = min(len(media), int(round(F * D["nonaudio_file_share"])))
        for m in rng.sample(media, k):
            m.downloaded = True
        self.plan_files(phantom_msgs)
        self.plan_download_times()
        self.plan_redownloads(n_redl)
        self.name_files()
        self.plan_copy_batch()
        self.plan_damage()
        self.plan_stale()
        self.plan_strays()

    def plan_row_fields(self, audio):
        W, D, rng = self.W, self.D, self.rng
        sends = sorted(m.send for m in audio)
        cutoff = -1.0
        if D["sha_missing_share"] > 0 and sends:
            cutoff = sends[min(len(sends) - 1, int(len(sends) * D["sha_missing_share"]))]
        for m in W.msgs:
            m.no_mid = rng.random() < D["no_message_id_share"]
            m.null_mid = m.no_mid or rng.random() < D["null_message_id_share"]
            m.legacy = m.tipo == "audio" and rng.random() < D["legacy_conteudo_share"]
            if D["sha_missing_by_date"]:
                m.miss_sha = m.miss_len = m.send < cutoff
            else:
                m.miss_sha = rng.random() < D["sha_missing_share"]
                m.miss_len = rng.random() < D["sha_missing_share"]
            m.miss_sec = rng.random() < D["seconds_missing_share"]
            m.miss_ts = rng.random() < D["ts_missing_share"]
            m.ts_string = rng.random() < D["ts_string_share"]
            m.miss_ptt = rng.random() < D["ptt_missing_share"]
            m.forwarded = False
            m.downloaded = False
            if m.no_mid:
                m.null_mid = True
            if m.tipo == "audio":
                m.note = W.new_note(m)

    def plan_forwards(self, audio):
        W, D, rng = self.W, self.D, self.rng
        n = int(round(len(audio) * D["forward_share"]))
        by_client = {}
        for m in audio:
            by_client.setdefault(m.chat.client.pk, []).append(m)
        for m in rng.sample(audio, min(n, len(audio))):
            if m.forwarded or m.forward_of is not None or m.legacy:
                continue
            pool = [s for s in by_client[m.chat.client.pk] if s.chat is not m.chat and s.send < m.send - 60
                    and s.forward_of is None and not s.legacy]
            if not pool:
                continue
            s = rng.choice(pool[-50:])
            m.forward_of = s
            s.forwarded = True
            m.note = s.note
            m.dur = s.dur
            m.from_me = rng.random() < 0.7
            if m.chat.is_group and not m.from_me:
                m.sender = rng.choice(m.chat.participants)
            elif m.from_me:
                m.sender = None
            m.miss_sha, m.miss_len = s.miss_sha, s.miss_len

    def plan_inserts(self):
        """data_envio: live rows send+0..3 s; back-filled rows at catch-up events of the instance."""
        W, D, rng = self.W, self.D, self.rng
        events = {}
        for inst in W.instances:
            ev = []
            t = W.t_start
            horizon = W.t_end + 30 * 86400
            mean = D["backfill_event_interval_min"] * 60
            while t < horizon:
                t += rng.expovariate(1.0 / mean)
                ev.append(t)
            events[id(inst)] = ev
        batches = {}
        for m in W.msgs:
            inst = m.chat.inst
            m.backfill = rng.random() < inst.backfill_share
            if not m.backfill:
                m.insert = m.send + rng.uniform(*D["live_insert_lag_s"])
                continue
            lag = loguniform(rng, *D["backfill_lag_range_s"])
            ev = events[id(inst)]
            target = m.send + lag
            lo, hi = 0, len(ev)
            while lo < hi:
                mid = (lo + hi) // 2
                if ev[mid] < target:
                    lo = mid + 1
                else:
                    hi = mid
            e = ev[min(lo, len(ev) - 1)]
            batches.setdefault((id(inst), e), []).append(m)
        for (iid, e), ms in sorted(batches.items(), key=lambda kv: kv[0][1]):
            if D["import_order"] == "chat":
                order = {}
                ms.sort(key=lambda m: (order.setdefault(id(m.chat), len(order)), m.send))
            else:
                ms.sort(key=lambda m: m.send)
            t = e
            for m in ms:
                t += rng.uniform(0.01, 0.6)
                m.insert = t
        for m in W.msgs:
            if m.backfill and m.insert - m.send < 60:
                m.backfill = False  # caught up within a minute: effectively live

    def plan_downloads(self, audio, n_dl):
        W, D, rng = self.W, self.D, self.rng
        chat_w = {id(ch): rng.betavariate(0.6, 0.6) + 0.02 for ch in W.chats}
        inst_w = {id(i): rng.uniform(0.3, 1.0) for i in W.instances}
        keyed = []
        for m in audio:
            w = chat_w[id(m.chat)] * inst_w[id(m.chat.inst)]
            if m.forwarded or m.forward_of is not None:
                w *= 4
            keyed.append((rng.random() ** (1.0 / w), m.idx, m))
        keyed.sort(key=lambda x: -x[0])
        for _, _, m in keyed[:n_dl]:
            m.downloaded = True

    def plan_phantoms(self, n_del_chat, n_unk):
        """Files of chats that are not in the DB, and of an instance the DB does not know."""
        W, D, rng = self.W, self.D, self.rng
        out = []
        if n_del_chat:
            k = max(1, min(6, n_del_chat // 3))
            sizes = [n_del_chat // k + (1 if i < n_del_chat % k else 0) for i in range(k)]
            for s in sizes:
                ch = Chat()
                ch.inst = rng.choice([i for i in W.instances if i.in_db])
                ch.client = ch.inst.client
                W.init_chat(ch, [], phantom=True)
                ch.in_db = False
                ch.phantom_kind = "deleted_chat"
                W.chats.append(ch)
                out += self._phantom_msgs(ch, s)
        if n_unk:
            c = rng.choice(W.clients)
            inst = W.make_instance(c, in_db=False)
            inst.offset_min = D["server_offset_min"] if D["tz_shared"] else draw_offset(rng)
            W.instances.append(inst)
            real = [ch for ch in W.chats if ch.client is c and ch.in_db and not ch.is_group]
            k = max(1, min(5, n_unk // 3))
            sizes = [n_unk // k + (1 if i < n_unk % k else 0) for i in range(k)]
            for s in sizes:
                ch = Chat()
                ch.inst = inst
                ch.client = c
                W.init_chat(ch, [], phantom=True)
                if real and rng.random() < 0.5:
                    twin = rng.choice(real)
                    ch.is_group, ch.folder, ch.digits, ch.participants = False, twin.folder, twin.digits, []
                    ch.ninth = None
                ch.in_db = False
                ch.phantom_kind = "unknown_instance"
                W.chats.append(ch)
                out += self._phantom_msgs(ch, s)
        return out

    def _phantom_msgs(self, ch, k):
        W, rng = self.W, self.rng
        ms = W.fill_chat(ch, ["audio"] * k)
        for m in ms:
            m.in_db = False
            m.backfill = False
            m.insert = m.send + rng.uniform(0, 3)
            m.legacy = m.no_mid = m.null_mid = False
            m.forwarded = False
            m.note = W.new_note(m)
            m.downloaded = True
        return ms

    def assign_pks(self):
        W = self.W
        rows = [m for m in W.msgs if m.in_db]
        rows.sort(key=lambda m: m.insert)
        for i, m in enumerate(rows):
            m.pk = i + 1
        # chats: pk in order of first message
        first = {}
        for m in rows:
            first.setdefault(id(m.chat), m.insert)
        chats = [ch for ch in W.chats if ch.in_db]
        chats.sort(key=lambda ch: first.get(id(ch), float("inf")))
        for i, ch in enumerate(chats):
            ch.pk = i + 1
        k = 1
        for inst in W.instances:
            if inst.in_db:
                inst.pk = k
                k += 1

    def folder_for(self, m):
        """(chat folder name, defect tags) for a file of message m."""
        D, rng = self.D, self.rng
        ch = m.chat
        inst = ch.inst
        if m.from_me and D["own_number_folders"] and rng.random() < D["own_number_share"]:
            return inst.own_folder, ["own_number"]
        if ch.is_group and not m.from_me and m.sender and rng.random() < D["group_sender_folder_share"]:
            return m.sender, ["group_sender_folder"]
        return ch.folder, []

    def plan_files(self, phantom_msgs):
        W, D, rng = self.W, self.D, self.rng
        for m in W.msgs:
            if not m.downloaded:
                continue
            f = File()
            f.msg = m
            f.inst = m.chat.inst
            f.folder, tags = self.folder_for(m)
            f.tags += tags
            if m.tipo == "audio":
                f.audio = True
                f.note = m.note
                self.choose_variant(f)
            else:
                f.audio = False
                f.kind = {"imagem": "image", "documento": "document", "video": "video",
                          "sticker": "sticker"}[m.tipo]
                f.ext = {"image": "jpg", "document": "pdf", "video": "mp4", "sticker": "webp"}[f.kind]
                f.name_style = "token"
            m.files.append(f)
            W.files.append(f)

    def choose_variant(self, f):
        D, rng = self.D, self.rng
        note, inst = f.note, f.inst
        f.kind = "audio"
        f.name_style = "token"
        if note.codec in ("mp3", "m4a", "aac", "wav"):
            f.variant, f.ext = "orig", note.codec
            f.tags.append("attachment_" + note.codec)
            return
        if note.codec == "opus" and rng.random() < inst.full_id_share:
            f.name_style = "full_id"
            f.tags.append("full_id_name")
            if D["full_id_name_transcoded"]:
                f.variant, f.ext = "mp3t", "mp3"
                f.tags += ["transcoded", "transcoded_mp3"]
            else:
                f.variant, f.ext = "orig", "mp3"
                f.tags.append("ext_lie")
            return
        if note.codec == "vorbis":
            f.variant, f.ext = "orig", rng.choice(["ogg", "ogg", "oga"])
            f.tags.append("vorbis")
        elif rng.random() < inst.transcode_share:
            fmt = inst.transcode_format
            f.variant, f.ext = fmt + "t", fmt
            f.tags += ["transcoded", "transcoded_" + fmt]
        elif rng.random() < D["ext_lie_share"]:
            f.variant, f.ext = "orig", "mp3"
            f.tags.append("ext_lie")
        else:
            f.variant, f.ext = "orig", inst.opus_ext
        if rng.random() < inst.no_token_share:
            f.name_style = rng.choice(["PTT", "AUD", "audio_n", "gravacao"])
            f.tags.append("no_token")
            if f.variant == "orig" and note.codec == "opus":
                f.ext = {"PTT": "opus", "AUD": "opus", "audio_n": "ogg", "gravacao": "oga"}[f.name_style]
                if "ext_lie" in f.tags:
                    f.tags.remove("ext_lie")

    def plan_download_times(self):
        W, D, rng = self.W, self.D, self.rng
        # back-filled rows: one downloader queue per instance, in insert order
        queue = {}
        for f in W.files:
            m = f.msg
            if m.backfill:
                queue.setdefault(id(f.inst), []).append(f)
            else:
                lag = 1.0 + rng.lognormvariate(math.log(D["live_download_lag_median_s"]), 1.0)
                f.start = m.send + min(60.0, lag)
        for iid, fs in queue.items():
            fs.sort(key=lambda f: f.msg.insert)
            prev_end = -1e18
            for f in fs:
                f.start = max(f.msg.insert + rng.uniform(*D["backfill_download_delay_s"]),
                              prev_end + rng.uniform(0.1, 1.5))
                prev_end = f.start + rng.uniform(0.3, 4.0)
        # one folder: downloaded in the order the rows were inserted
        by_folder = {}
        for f in W.files:
            by_folder.setdefault((id(f.inst), f.folder), []).append(f)
        for fs in by_folder.values():
            fs.sort(key=lambda f: (f.msg.insert, f.msg.wid))
            prev = -1e18
            for f in fs:
                f.start = max(f.start, prev + rng.uniform(0.3, 2.0))
                prev = f.start
        for f in W.files:
            f.end = f.start + rng.uniform(0.05, 2.5)

    def plan_redownloads(self, n_redl):
        W, rng = self.W, self.rng
        cands = [f for f in W.files if f.audio]
        for f in rng.sample(cands, min(n_redl, len(cands))):
            g = File()
            g.msg, g.inst, g.folder, g.note, g.variant, g.ext = f.msg, f.inst, f.folder, f.note, f.variant, f.ext
            g.audio, g.kind, g.name_style = True, f.kind, f.name_style
            g.tags = [t for t in f.tags] + ["redownload"]
            g.redl_of = f
            g.start = f.end + rng.uniform(2, 40)
            g.end = g.start + rng.uniform(0.05, 2.5)
            f.msg.files.append(g)
            W.files.append(g)

    def name_files(self):
        W, D, rng = self.W, self.D, self.rng
        counters = {}
        W.files.sort(key=lambda f: f.start)
        for f in W.files:
            inst = f.inst
            c = inst.client
            m = f.msg
            while True:
                ct = inst.clock(f.start)
                local = name_time(D, inst, math.floor(ct))
                stamp = local.strftime("%Y%m%d_%H%M%S")
                if f.name_style == "token":
                    deriv = inst.derivation_at(f.start)
                    if f.redl_of is not None:
                        tok = f.redl_of.token
                    else:
                        tok = hash8(deriv, m.wid)
                    f.token = tok
                    name = "msg_%s_%s.%s" % (tok, stamp, f.ext)
                elif f.name_style == "full_id":
                    f.token = m.wid
                    name = "wapi_%s_%s.%s" % (m.wid, stamp, f.ext)
                else:
                    f.token = None
                    key = (id(inst), f.folder, f.name_style, local.strftime("%Y%m%d"))
                    if f.name_style in ("PTT", "AUD"):
                        k = counters.get(key, rng.randint(0, 30))
                        counters[key] = k + 1
                        name = "%s-%s-WA%04d.%s" % (f.name_style, local.strftime("%Y%m%d"), k, f.ext)
                    elif f.name_style == "audio_n":
                        key = (id(inst), f.folder, "audio_n")
                        k = counters.get(key, rng.randint(1, 5))
                        counters[key] = k + 1
                        name = "audio (%d).%s" % (k, f.ext)
                    else:
                        key = (id(inst), f.folder, "gravacao")
                        k = counters.get(key, rng.randint(1, 20))
                        counters[key] = k + 1
                        name = "Gravação de áudio %d.%s" % (k, f.ext)
                kind_dir = None
                if inst.kind_mode == "always" or (inst.kind_mode == "switch" and f.start >= inst.kind_switch_at):
                    kind_dir = f.kind
                parts = [c.folder, "instance_" + inst.instance_id, "chats", f.folder]
                if kind_dir:
                    parts.append(kind_dir)
                parts.append(name)
                path = "/".join(parts)
                if path not in W.used_paths:
                    break
                f.start += 1.0
                f.end += 1.0
            W.used_paths.add(path)
            f.path = path
            if f.audio and f.name_style == "token" and inst.switch_at is not None and f.start >= inst.switch_at:
                f.tags.append("derivation_changed")
            f.mtime = inst.clock(f.end)

    def plan_copy_batch(self):
        W, D, rng = self.W, self.D, self.rng
        self.copy_batches = []
        if not D["copy_batch"]:
            return
        insts = [i for i in W.instances]
        k = max(1, int(round(len(insts) * D["copy_batch_instance_share"])))
        chosen = rng.sample(insts, k)
        for inst in chosen:
            t_copy = W.t_start + rng.uniform(0.3, 0.9) * (W.t_end - W.t_start) + rng.uniform(2, 20) * 86400
            fs = sorted([f for f in W.files if f.inst is inst and f.end < t_copy - 86400], key=lambda f: f.path)
            t = t_copy
            for f in fs:
                t += rng.uniform(0.001, 0.05)
                f.mtime = inst.clock(t)
                f.tags.append("copied_mtime")
            self.copy_batches.append({"instance": inst.instance_id,
                                      "at_utc": fmt_utc(t_copy, False), "files": len(fs)})

    def plan_damage(self):
        W, D, rng = self.W, self.D, self.rng
        cands = [f for f in W.files if f.audio and f.redl_of is None]
        redl_src = set(id(f.redl_of) for f in W.files if f.redl_of is not None)
        cands = [f for f in cands if id(f) not in redl_src]
        n = int(round(len(cands) * D["damaged_share"]))
        for f in rng.sample(cands, min(n, len(cands))):
            f.damage = rng.choice(["zero", "truncated", "truncated", "random"])
            f.tags += ["damaged", "damaged_" + f.damage]

    def plan_stale(self):
        W, D, rng = self.W, self.D, self.rng
        self.stale = []
        share = D["stale_local_path_share"]
        if share <= 0:
            return
        audio_rows = [m for m in W.msgs if m.tipo == "audio" and m.in_db and not m.deleted and not m.legacy]
        # share of the rows that have a file (70 % of the stale values sit on such rows)
        n = int(round(sum(1 for m in audio_rows if m.files) * share / 0.7))
        sk = D["stale_kind_weights"]
        by_folder = {}
        all_audio_files = [f for f in W.files if f.audio]
        for f in all_audio_files:
            by_folder.setdefault(f.path.rsplit("/", 1)[0], []).append(f)
        # stale values mostly sit on rows that have a file
        with_file = [m for m in audio_rows if m.files]
        without = [m for m in audio_rows if not m.files]
        picks = rng.sample(with_file, min(len(with_file), int(n * 0.7))) + \
            rng.sample(without, min(len(without), n - int(n * 0.7)))
        for m in picks:
            kind = rng.choices(list(sk), list(sk.values()))[0]
            if kind == "right" and not m.files:
                kind = rng.choice(["wrong", "missing"])
            own = m.files[0] if m.files else None
            if kind == "right":
                m.stale = ("right", own.path)
                own.tags.append("stale_right")
            elif kind == "wrong":
                pool = []
                if own is not None:
                    pool = [f for f in by_folder.get(own.path.rsplit("/", 1)[0], []) if f.msg is not m]
                if not pool:
                    pool = [f for f in all_audio_files if f.inst is m.chat.inst and f.msg is not m]
                if not pool:
                    continue
                target = min(pool, key=lambda f: abs(f.mtime - m.send)) if rng.random() < 0.6 else rng.choice(pool)
                m.stale = ("wrong", target.path)
                target.tags.append("stale_claimed")
                if own is not None:
                    own.tags.append("stale_wrong")
            else:
                inst = m.chat.inst
                if own is not None and rng.random() < 0.6:
                    # the file of an earlier layout, or renamed since
                    p = own.path
                    p = p.replace("/audio/", "/") if "/audio/" in p else p.rsplit("/", 1)[0] + "/audio/" + p.rsplit("/", 1)[1]
                    if rng.random() < 0.5:
                        p = p.rsplit(".", 1)[0] + ".mp3"
                    if p in W.used_paths:
                        p = p + ".old"
                    own.tags.append("stale_missing")
                else:
                    p = "%s/instance_%s/chats/%s/%s.ogg" % (inst.client.folder, inst.instance_id,
                                                             m.chat.folder, m.wid)
                    if own is not None:
                        own.tags.append("stale_missing")
                m.stale = ("missing", p)
            self.stale.append(m)

    def plan_strays(self):
        W, D, rng = self.W, self.D, self.rng
        self.strays = []
        audio_files = [f for f in W.files if f.audio]
        if not audio_files:
            return
        for f in audio_files:
            if rng.random() < D["sidecar_share"]:
                self.strays.append((f.path.rsplit(".", 1)[0] + ".json", "sidecar", f))
        n = int(round(len(audio_files) * D["stray_share"]))
        for _ in range(n):
            f = rng.choice(audio_files)
            d = f.path.rsplit("/", 1)[0]
            if rng.random() < 0.5:
                # interrupted download of a row that never got its file
                local = name_time(D, f.inst, math.floor(f.inst.clock(f.start - rng.uniform(600, 86400))))
                self.strays.append((d + "/msg_%08X_%s.ogg.part" % (rng.getrandbits(32),
                                    local.strftime("%Y%m%d_%H%M%S")), "part", f))
            elif rng.random() < 0.5:
                self.strays.append((d + "/temp_%d" % rng.randint(10 ** 12, 10 ** 13), "temp", f))
            else:
                self.strays.append((d + "/temp_%08x.tmp" % rng.getrandbits(32), "temp", f))

    # ---------------------------------------------------------------- audio
    def encode_all(self, media):
        W = self.W
        need = {}
        for f in W.files:
            if f.audio:
                need.setdefault(f.note.id, set()).add(f.variant)
        jobs = []
        for nid in sorted(need):
            note = W.notes[nid]
            jobs.append({"id": nid, "seed": note.seed, "n": note.n, "codec": note.codec,
                         "serial": note.serial, "bitrate": note.bitrate, "framesize": note.framesize,
                         "complexity": self.D["opus_complexity"],
                         "variants": sorted(need[nid])})
        # longest first for a better balance
        jobs.sort(key=lambda j: -(j["n"] * (1 + 3 * ("m4at" in j["variants"]) + ("mp3t" in j["variants"]))))
        files_of = {}
        for f in W.files:
            if f.audio:
                files_of.setdefault(f.note.id, []).append(f)
        # batches of ~12 notes, each mixing long and short ones (jobs are sorted by cost)
        nb = max(1, (len(jobs) + 11) // 12)
        batches = [jobs[k::nb] for k in range(nb)]
        if self.workers > 1:
            ex = ProcessPoolExecutor(max_workers=self.workers)
            it = ex.map(encode_batch, batches)
        else:
            ex = None
            it = map(encode_batch, batches)
        for nid, out in (r for batch in it for r in batch):
            note = W.notes[nid]
            orig = out["orig"]
            note.sha = hashlib.sha256(orig).digest()
            note.size = len(orig)
            for f in files_of[nid]:
                f.data = out[f.variant]
        if ex:
            ex.shutdown()

    # ---------------------------------------------------------------- writing
    def write(self, out_dir):
        W, D = self.W, self.D
        media = os.path.join(out_dir, "media")
        os.makedirs(media)
        t0 = time.time()
        self.encode_all(media)
        self.t_encode = time.time() - t0
        wrng = random.Random("bytes:%d" % self.seed)
        # audio + media files, in path order (deterministic damage bytes)
        for f in sorted(W.files, key=lambda f: f.path):
            if f.audio:
                data = f.data
                if f.damage == "zero":
                    data = b""
                elif f.damage == "truncated":
                    data = data[:int(len(data) * wrng.uniform(0.3, 0.8))]
                elif f.damage == "random":
                    data = wrng.randbytes(len(f.data))
            else:
                data = fake_media(wrng, f.ext)
                f.data = data
            self._put(media, f.path, data, f.mtime)
        for path, kind, f in sorted(self.strays, key=lambda s: s[0]):
            if kind == "sidecar":
                data = json.dumps({"status": "downloaded", "mimetype": f.note.mimetype,
                                   "saved_at": fmt_utc(f.end, False)}).encode()
                mt = f.mtime + 0.01
            elif kind == "part":
                data = b"OggS" + wrng.randbytes(wrng.randint(200, 6000))
                mt = f.mtime - wrng.uniform(60, 86400)
            else:
                data = wrng.randbytes(wrng.randint(0, 4000))
                mt = f.mtime + wrng.uniform(-86400, 86400)
            if path in W.used_paths:
                continue
            W.used_paths.add(path)
            self._put(media, path, data, mt)
        self.write_db(os.path.join(out_dir, "messages.sqlite"))
        self.write_truth(os.path.join(out_dir, "truth.csv"))

    @staticmethod
    def _put(media, rel, data, mtime):
        p = os.path.join(media, *rel.split("/"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as fh:
            fh.write(data)
        ns = int(round(mtime * 1e9))
        os.utime(p, ns=(ns, ns))

    def seconds_of(self, note):
        if self.D["seconds_mode"] == "round":
            return int(math.floor(note.n / SR + 0.5))
        return note.n // SR

    def fmt_length(self, rng, size):
        w = self.D["file_length_format_weights"]
        k = rng.choices(list(w), list(w.values()))[0]
        if k == "string":
            return str(size)
        if k == "number":
            return size
        return {"low": size, "high": 0, "unsigned": True}

    def audio_conteudo(self, rng, m):
        D = self.D
        if m.legacy:
            return rng.choice(["[Áudio]", "[Audio]", "Áudio", "🎤 Mensagem de voz"])
        n = m.note
        am = {"url": n.url, "mimetype": n.mimetype}
        if not m.miss_sha:
            am["fileSha256"] = b64(n.sha)
        if not m.miss_len:
            am["fileLength"] = self.fmt_length(rng, n.size)
        if not m.miss_sec:
            am["seconds"] = self.seconds_of(n)
        if not m.miss_ptt:
            am["ptt"] = n.ptt
        am["mediaKey"] = n.media_key
        am["fileEncSha256"] = n.enc_sha
        am["directPath"] = n.direct_path
        am["mediaKeyTimestamp"] = str(n.mkts) if rng.random() < 0.7 else n.mkts
        if D["waveform_field"] and n.ptt:
            am["waveform"] = n.waveform
        if m.stale:
            kind, p = m.stale
            am["localPath"] = p
            am["localUrl"] = ("/api/audio/hash-mapping/%d/" % m.pk) if rng.random() < 0.6 else "/media/" + p
        return self.wrap(rng, m, "audioMessage", am)

    def wrap(self, rng, m, key, body):
        D = self.D
        obj = {}
        keyobj = None
        if D["key_in_conteudo"] or m.null_mid:
            ch = m.chat
            keyobj = {"remoteJid": ch.chat_id if "@" in ch.chat_id else ch.folder + (
                "@g.us" if ch.is_group else "@s.whatsapp.net"), "fromMe": bool(m.from_me)}
            if not m.no_mid:
                keyobj["id"] = m.wid
            if ch.is_group and m.sender:
                keyobj["participant"] = m.sender + "@s.whatsapp.net"
        ts = None
        if not m.miss_ts:
            ts = int(m.send * 1000) if D["ts_unit"] == "ms" else int(m.send)
            if m.ts_string:
                ts = str(ts)
        if D["json_style"] == "key_first":
            if keyobj:
                obj["key"] = keyobj
            if ts is not None:
                obj["messageTimestamp"] = ts
            obj[key] = body
        else:
            obj[key] = body
            if keyobj:
                obj["key"] = keyobj
            if ts is not None:
                obj["messageTimestamp"] = ts
        return json.dumps(obj, ensure_ascii=D["json_ensure_ascii"])

    def other_conteudo(self, rng, m):
        D = self.D
        if m.tipo == "texto":
            txt = rng.choice(TEXTS)
            if rng.random() < D["texto_plain_share"]:
                return txt
            return self.wrap(rng, m, "conversation", txt) if rng.random() < 0.6 else \
                self.wrap(rng, m, "extendedTextMessage", {"text": txt})
        key = {"imagem": "imageMessage", "documento": "documentMessage", "video": "videoMessage",
               "sticker": "stickerMessage"}[m.tipo]
        mime = {"imagem": "image/jpeg", "documento": "application/pdf", "video": "video/mp4",
                "sticker": "image/webp"}[m.tipo]
        data = m.files[0].data if m.files and m.files[0].data is not None else None
        body = {"url": "https://mmg.whatsapp.net/v/t62.7118-24/%d_n.enc" % rng.getrandbits(40),
                "mimetype": mime,
                "fileSha256": b64(hashlib.sha256(data).digest() if data is not None else rng.randbytes(32)),
                "fileLength": str(len(data) if data is not None else rng.randint(5000, 400000)),
                "mediaKey": b64(rng.randbytes(32))}
        if m.tipo == "documento":
            body["fileName"] = rng.choice(["orcamento.pdf", "contrato.pdf", "boleto.pdf", "nota_fiscal.pdf"])
        if m.tipo == "video":
            body["seconds"] = rng.randint(2, 60)
        if m.tipo == "imagem" and rng.random() < 0.3:
            body["caption"] = rng.choice(TEXTS)
        return self.wrap(rng, m, key, body)

    def remetente(self, rng, m, style):
        ch = m.chat
        if m.from_me:
            return rng.choice([ch.inst.own_number, "me"]) if style == "mixed" else ch.inst.own_number
        num = m.sender if ch.is_group else ch.digits
        if style == "jid":
            return num + "@s.whatsapp.net"
        if style == "name":
            return ch.name or num
        return num

    def write_db(self, path):
        W, D = self.W, self.D
        rng = random.Random("db:%d" % self.seed)
        style = rng.choice(["jid", "digits", "name", "mixed"])
        self.remetente_style = style
        con = sqlite3.connect(path)
        con.executescript("""
CREATE TABLE core_cliente (
  id   INTEGER PRIMARY KEY,
  nome TEXT NOT NULL);
CREATE TABLE core_whatsappinstance (
  id          INTEGER PRIMARY KEY,
  instance_id TEXT NOT NULL UNIQUE,
  cliente_id  INTEGER NOT NULL REFERENCES core_cliente(id));
CREATE TABLE core_chat (
  id          INTEGER PRIMARY KEY,
  chat_id     TEXT NOT NULL,
  chat_name   TEXT,
  cliente_id  INTEGER NOT NULL REFERENCES core_cliente(id),
  instance_id INTEGER REFERENCES core_whatsappinstance(id));
CREATE TABLE core_mensagem (
  id         INTEGER PRIMARY KEY,
  chat_id    INTEGER NOT NULL REFERENCES core_chat(id),
  message_id TEXT,
  remetente  TEXT,
  tipo       TEXT NOT NULL,
  conteudo   TEXT,
  data_envio TEXT NOT NULL,
  from_me    INTEGER NOT NULL DEFAULT 0);
""")
        con.executemany("INSERT INTO core_cliente VALUES (?,?)", [(c.pk, c.nome) for c in W.clients])
        con.executemany("INSERT INTO core_whatsappinstance VALUES (?,?,?)",
                        [(i.pk, i.instance_id, i.client.pk) for i in W.instances if i.in_db])
        chats = sorted([ch for ch in W.chats if ch.in_db], key=lambda ch: ch.pk)
        con.executemany("INSERT INTO core_chat VALUES (?,?,?,?,?)",
                        [(ch.pk, ch.chat_id, ch.name, ch.client.pk,
                          ch.db_instance.pk if ch.db_instance is not None else None) for ch in chats])
        rows = []
        for m in sorted([m for m in W.msgs if m.in_db], key=lambda m: m.pk):
            if m.deleted:
                continue
            cont = self.audio_conteudo(rng, m) if m.tipo == "audio" else self.other_conteudo(rng, m)
            rows.append((m.pk, m.chat.pk, None if m.null_mid else m.wid, self.remetente(rng, m, style),
                         m.tipo, cont, fmt_utc(m.insert, D["data_envio_microseconds"]), 1 if m.from_me else 0))
        con.executemany("INSERT INTO core_mensagem VALUES (?,?,?,?,?,?,?,?)", rows)
        con.commit()
        con.close()

    def file_tags(self, f):
        m, inst, D = f.msg, f.inst, self.D
        tags = []
        if not m.in_db or m.deleted:
            tags.append("orphans")
            if m.deleted:
                tags.append("orphan_deleted_row")
            else:
                tags.append("orphan_" + m.chat.phantom_kind)
        if m.backfill:
            tags.append("backfill")
        if inst.unknown and f.name_style == "token":
            tags.append("unknown_derivation")
        if m.from_me:
            tags.append("from_me")
        if m.chat.is_group:
            tags.append("group")
        if m.chat.ninth and f.folder == m.chat.folder:
            tags.append("ninth_digit")
        if m.forward_of is not None or m.forwarded:
            tags.append("forward")
        err = inst.clock(f.start) - f.start
        if abs(err) >= 15:
            tags.append("skew")
        if inst.offset_min not in (-180, -240):
            tags.append("odd_tz")
        if m.in_db and not m.deleted:
            if m.null_mid and not m.no_mid:
                tags.append("null_message_id")
            if m.no_mid:
                tags.append("no_message_id")
            if m.legacy:
                tags.append("legacy_conteudo")
            else:
                if m.miss_sha:
                    tags.append("no_sha")
                if m.miss_len:
                    tags.append("no_length")
                if m.miss_sec:
                    tags.append("no_seconds")
                if m.miss_ts:
                    tags.append("no_timestamp")
                elif D["ts_unit"] == "ms":
                    tags.append("ms_timestamp")
            if m.chat.db_instance is None:
                tags.append("chat_no_instance")
        if len(self.shared_folders.get(f.folder, ())) > 1:
            tags.append("shared_folder")
        seen = set()
        out = []
        for t in tags + f.tags:
            if t not in seen:
                seen.add(t)
                out.append(t)
        return out

    def write_truth(self, path):
        W = self.W
        self.shared_folders = {}
        for f in W.files:
            s = self.shared_folders.setdefault(f.folder, [])
            if f.inst.instance_id not in s:
                s.append(f.inst.instance_id)
        self.tag_counts = {}
        rows = []
        for f in W.files:
            if not f.audio:
                continue
            m = f.msg
            mid = "" if (not m.in_db or m.deleted) else str(m.pk)
            tags = self.file_tags(f)
            for t in tags:
                self.tag_counts[t] = self.tag_counts.get(t, 0) + 1
            rows.append((f.path, mid, ";".join(tags)))
        rows.sort()
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["file", "message_id", "defects"])
            w.writerows(rows)
        self.n_truth = len(rows)

    # ---------------------------------------------------------------- world.json
    def world_json(self, path):
        W, D = self.W, self.D
        clients = []
        for c in W.clients:
            insts = []
            for i in c.instances:
                insts.append({
                    "instance_id": i.instance_id, "in_db": i.in_db, "own_number": i.own_number,
                    "own_number_folder": i.own_folder,
                    "hash8_derivation": i.derivation, "unknown_derivation": i.unknown,
                    "derivation_switch": None if i.switch_at is None else {
                        "at_utc": fmt_utc(i.switch_at, False), "to": i.switch_to},
                    "server_utc_offset": "%s%02d:%02d" % ("-" if i.offset_min < 0 else "+",
                                                          abs(i.offset_min) // 60, abs(i.offset_min) % 60),
                    "clock_skew_s": i.skew_s, "clock_drift_s_per_day": i.drift_s_per_day,
                    "kind_folder": i.kind_mode,
                    "kind_folder_switch_utc": fmt_utc(i.kind_switch_at, False) if i.kind_mode == "switch" else None,
                    "opus_ext": i.opus_ext, "opus_bitrate_kbps": i.bitrate, "opus_framesize_ms": i.framesize,
                    "transcode_share": round(i.transcode_share, 4), "transcode_format": i.transcode_format,
                    "full_id_name_share": round(i.full_id_share, 4), "no_token_share": round(i.no_token_share, 4),
                    "active_utc": [fmt_utc(i.active[0], False), fmt_utc(i.active[1], False)],
                    "backfill_share": round(i.backfill_share, 4),
                    "chats_in_db": sum(1 for ch in W.chats if ch.inst is i and ch.in_db),
                })
            clients.append({"nome": c.nome, "folder": c.folder, "accents_stripped": c.strip_accents,
                            "folder_nfd": c.nfd, "human_utc_offset_min": c.human_offset_min,
                            "ddd": c.ddd, "instances": insts})
        audio_rows = [m for m in W.msgs if m.tipo == "audio" and m.in_db and not m.deleted]
        afiles = [f for f in W.files if f.audio]
        stats = {
            "audio_rows": len(audio_rows),
            "nonaudio_rows": sum(1 for m in W.msgs if m.tipo != "audio" and m.in_db),
            "chats_in_db": sum(1 for ch in W.chats if ch.in_db),
            "audio_files": len(afiles),
            "audio_files_linked": sum(1 for f in afiles if f.msg.in_db and not f.msg.deleted),
            "audio_rows_with_file": sum(1 for m in audio_rows if m.files),
            "nonaudio_media_files": sum(1 for f in W.files if not f.audio),
            "stray_files": len(self.strays),
            "notes_encoded": len(set(f.note.id for f in afiles)),
            "backfilled_rows": sum(1 for m in W.msgs if m.in_db and m.backfill),
            "stale_local_paths": {k: sum(1 for m in self.stale if m.stale[0] == k)
                                  for k in ("right", "wrong", "missing")},
            "copy_batches": self.copy_batches,
            "truth_rows": self.n_truth,
            "defect_counts": dict(sorted(self.tag_counts.items())),
        }
        doc = {"generator": "benchmarks/independent/make_world.py", "generator_version": GENERATOR_VERSION,
               "seed": self.seed, "args": {"messages": W.n_audio, "files": W.n_files},
               "deployment": D, "db_remetente_style": self.remetente_style,
               "clients": clients, "stats": stats}
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, ensure_ascii=False)
            fh.write("\n")


def fake_media(rng, ext):
    n = rng.randint(3000, 60000)
    if ext == "jpg":
        head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        return head + rng.randbytes(n) + b"\xff\xd9"
    if ext == "pdf":
        return b"%PDF-1.4\n" + rng.randbytes(n) + b"\n%%EOF\n"
    if ext == "webp":
        body = b"WEBPVP8 " + rng.randbytes(n)
        return b"RIFF" + len(body).to_bytes(4, "little") + body
    if ext == "mp4":
        return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + rng.randbytes(n)
    return rng.randbytes(n)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="directory to create (must not exist)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--messages", type=int, default=6000, help="audio rows in the database (default 6000)")
    ap.add_argument("--files", type=int, default=2000, help="audio files in the store (default 2000)")
    ap.add_argument("--world-json", help="JSON file whose 'deployment' object (or top-level object) "
                                         "overrides drawn deployment parameters")
    ap.add_argument("--workers", type=int, default=2, help="encoder processes (default 2)")
    a = ap.parse_args()
    if os.path.exists(a.out):
        raise SystemExit("%s exists; give a new directory" % a.out)
    overrides = None
    if a.world_json:
        with open(a.world_json, encoding="utf-8") as fh:
            doc = json.load(fh)
        overrides = doc.get("deployment", doc) if isinstance(doc, dict) else None
        if "deployment" not in doc:
            overrides = {k: v for k, v in doc.items()}
    for tool in ("sox", "opusenc", "opusdec", "oggenc", "lame", "ffmpeg"):
        if shutil.which(tool) is None:
            raise SystemExit("missing %s: apt-get install -y opus-tools vorbis-tools lame ffmpeg sox" % tool)
    t0 = time.time()
    g = Generator(a.seed, a.messages, a.files, overrides, a.workers)
    g.plan()
    t_plan = time.time() - t0
    os.makedirs(a.out)
    tmp_ok = False
    try:
        g.write(a.out)
        g.world_json(os.path.join(a.out, "world.json"))
        tmp_ok = True
    finally:
        if not tmp_ok:
            print("generation failed; partial output left in %s" % a.out, file=sys.stderr)
    dt_ = time.time() - t0
    s = json.load(open(os.path.join(a.out, "world.json")))["stats"]
    print("seed %d: %d audio rows, %d audio files (%d linked), %d notes encoded; "
          "plan %.1f s, encode %.1f s, total %.1f s" % (a.seed, s["audio_rows"], s["audio_files"],
                                                        s["audio_files_linked"], s["notes_encoded"],
                                                        t_plan, g.t_encode, dt_), file=sys.stderr)


if __name__ == "__main__":
    main()
