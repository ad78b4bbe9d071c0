#!/usr/bin/env python3
"""How many reviews would a plan link if it knew which messages other files already hold?

An estimate, not the engine: it reads a plan (`sync -n --json`), the store's database and its
truth file, and for every review asks what its first candidate's probability would become if
time's chance counted only the messages no link of the plan holds. Three ways of counting, from
the least to the most generous:

- `local`: the messages in time's own window (the same clock and width the waterfall's level
  names), less those linked to other files; the burst floor (the conversation's mean neighbours,
  shrunk toward the instance's as `Population.timelines` does) as it is. Where the floor is what
  the chance was, nothing changes.
- `floor`: as `local`, with the floor scaled by the share of the conversation's messages no link
  holds.
- `global`: the prior's conversation size less the linked messages, everywhere. This one is
  wrong where the free messages crowd the file's window (a history import's rows, none of them
  linked): it would add log2(size / free) bits to a pair the window's own count already weighed.

Each review's odds are scaled by 2^gain; the script counts those that would reach 0.999 and how
many of them the truth says are wrong. Approximations: the file's time is taken from the note's
measurement (whole seconds), the conversation is the message's chat (own-number folders are not
told apart), and the odds of the rivals are left as they are.

    benchmarks/accuracy/taken_neighbours.py --plan plan.json --database messages.sqlite --truth truth.csv
"""
import argparse
import collections
import csv
import datetime
import json
import math
import re
import sqlite3

WIDTHS = [10, 30, 120, 600, 3600]
TOLERANCE = 5
BURST_PRIOR_MESSAGES = 10.0


def mean_neighbours(times, width):
    times = sorted(times)
    if len(times) < 2:
        return 0.0
    total = low = high = 0
    for time in times:
        while times[low] < time - width:
            low += 1
        while high < len(times) and times[high] <= time + width:
            high += 1
        total += high - low - 1
    return total / (2 * len(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plan", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--target", type=float, default=0.999)
    args = parser.parse_args()

    plan = json.load(open(args.plan))["plan"]
    database = sqlite3.connect(args.database)
    truth = {row["file"]: (int(row["message_id"]) if row["message_id"] else None)
             for row in csv.DictReader(open(args.truth))}
    messages = {}
    for row_id, chat, inserted, content in database.execute(
            "select id, chat_id, data_envio, conteudo from core_mensagem where tipo = 'audio'"):
        insert = datetime.datetime.fromisoformat(inserted).replace(tzinfo=datetime.timezone.utc).timestamp()
        sent = re.search(r'"messageTimestamp":\s*"?(\d+)', content or "")
        messages[row_id] = (chat, insert, int(sent.group(1)) if sent else None)
    instance_of_chat = dict(database.execute("select id, instance_id from core_chat"))
    by_chat = collections.defaultdict(list)
    for row_id, (chat, _, _) in messages.items():
        by_chat[chat].append(row_id)
    sent_times = {chat: [messages[m][2] for m in ids if messages[m][2] is not None] for chat, ids in by_chat.items()}
    floors = {}
    for width in WIDTHS:
        own = {chat: mean_neighbours(times, width) for chat, times in sent_times.items()}
        total = collections.defaultdict(float)
        count = collections.defaultdict(float)
        for chat, times in sent_times.items():
            total[instance_of_chat[chat]] += own[chat] * len(times)
            count[instance_of_chat[chat]] += len(times)
        for chat, times in sent_times.items():
            instance = instance_of_chat[chat]
            mean = total[instance] / count[instance] if count[instance] else 0
            floors[(chat, width)] = (own[chat] * len(times) + mean * BURST_PRIOR_MESSAGES) / (
                len(times) + BURST_PRIOR_MESSAGES)

    linked = {link["message_id"]: link["file"] for link in plan["links"]}
    orphan_share = {c["instance"]: c["weights"]["orphan_share"] for c in plan["calibration"]}
    crossed = collections.Counter()
    wrong = collections.Counter()
    reviews = floor_bound = 0
    for review in plan["reviews"]:
        first = review["candidates"][0]
        message = first["message_id"]
        time_line = next(line for line in first["waterfall"]["lines"] if line["strategy"] == "timestamp_distance")
        measured = re.search(r": (\d+) (s|min|h) (after|before)", time_line["note"])
        chance = re.search(r"1 in ([\d,]+)", time_line["note"])
        if not time_line["level"] or not measured or not chance:
            continue
        reviews += 1
        delay = int(measured.group(1)) * {"s": 1, "min": 60, "h": 3600}[measured.group(2)]
        delay *= 1 if measured.group(3) == "after" else -1
        chat, insert, sent = messages[message]
        on_insert = time_line["level"].startswith("after_insert") or sent is None
        file_time = (insert if on_insert else sent) + delay
        width = next((w for w in WIDTHS if max(0, delay) <= w), WIDTHS[-1])
        clock = [(messages[m][1] if on_insert else messages[m][2], m) for m in by_chat[chat]]
        in_window = [m for t, m in clock if t is not None and file_time - width <= t <= file_time + TOLERANCE]
        nearby = [m for t, m in clock if t is not None and abs(t - file_time) <= 43_200]
        taken = [m for m in in_window if m != message and m in linked and linked[m] != review["file"]]
        taken_nearby = [m for m in nearby if m != message and m in linked]
        expected_free = (max(0, len(in_window) - 1 - len(taken))
                         + (len(nearby) - len(taken_nearby) + 1) / 86_400 * (width + TOLERANCE))
        expected = max(0, len(in_window) - 1) + (len(nearby) + 1) / 86_400 * (width + TOLERANCE)
        instance = review["file"].split("/")[1].replace("instance_", "")
        share = orphan_share.get(instance, 0.1)
        size = 2 ** (math.log2((1 - share) / share) - first["waterfall"]["prior"])
        stated = size / float(chance.group(1).replace(",", ""))  # what the chance was: expected, or the floor
        by_floor = stated > expected * 1.05
        floor_bound += by_floor
        floor = stated if by_floor else floors.get((chat, width), 0)
        taken_in_chat = sum(1 for m in by_chat[chat] if m != message and m in linked)
        free_share = 1 - taken_in_chat / len(by_chat[chat])
        gains = {
            "local": 0.0 if by_floor else math.log2(stated / max(expected_free, floor, 1e-9)),
            "floor": math.log2(stated / max(expected_free, floor * free_share, 1e-9)),
            "global": math.log2(size / max(1.0, size - taken_in_chat)) if size > taken_in_chat else 0.0,
        }
        probability = first["probability"]
        for name, gain in gains.items():
            odds = probability * 2 ** max(0.0, gain)
            if odds / (odds + 1 - probability) >= args.target:
                crossed[name] += 1
                wrong[name] += truth.get(review["file"]) != message
    print(f"reviews whose time finding has a chance: {reviews}; the burst floor was the chance in {floor_bound}")
    for name in ("local", "floor", "global"):
        print(f"  {name:6s} would link {crossed[name]:4d} of them, {wrong[name]} wrong")


if __name__ == "__main__":
    main()
