#!/usr/bin/env python3
"""Accuracy of the shipped intent packs on public Vietnamese data sets (CI only).

Reads the data from FIXTURES (never copied into the repository), runs every
utterance through `switchboard try --jsonl` with tests/eval/intent-<pack>.json
and prints the figures:

* school pack on the Nha Trang University admissions utterances, their intents
  mapped to ours by tests/eval/nhatrang_intent_map.tsv;
* clinic pack on ViMQ dev+test questions: each should land on medical_question,
  none on emergency unless urgent (the emergency ones are listed for review).

Exits 1 when a mapped accuracy is below --target (default 0.90).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys


def classify(switchboard, config, texts):
    lines = [json.dumps({"text": t, "conversation": {"id": "eval-%d" % i}}, ensure_ascii=False)
             for i, t in enumerate(texts)]
    out = subprocess.run([switchboard, "try", "--jsonl", "--compact", "--config", config],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
    intents = []
    for line in out.splitlines():
        trace = json.loads(line)
        intent = trace.get("intent")
        intents.append(intent.get("name") if isinstance(intent, dict) else (intent or "(none)"))
    if len(intents) != len(texts):
        sys.exit("expected %d traces, got %d" % (len(texts), len(intents)))
    return intents


def read_rasa(path):
    """(intent, text) pairs of a Rasa NLU markdown file; [text](entity) keeps the text."""
    pairs, intent = [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"##\s*intent:\s*(\S+)", line)
        if m:
            intent = m.group(1)
        elif line.startswith("- ") and intent:
            pairs.append((intent, re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[2:]).strip()))
        elif line.startswith("##"):
            intent = None
    return pairs


def read_map(path):
    mapping = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        mapping[cols[0]] = set(cols[1].split("|"))
    return mapping


def school(args, root):
    pairs = read_rasa(os.path.join(args.fixtures, "nhatrang-admissions-rasa-nlu.md"))
    mapping = read_map(os.path.join(root, "tests/eval/nhatrang_intent_map.tsv"))
    unmapped = sorted({i for i, _ in pairs if i not in mapping})
    if unmapped:
        sys.exit("intents missing from the mapping table: " + ", ".join(unmapped))
    got = classify(args.switchboard, os.path.join(root, "tests/eval/intent-school.json"), [t for _, t in pairs])
    per = collections.defaultdict(lambda: [0, 0])
    misses = []
    for (theirs, text), ours in zip(pairs, got):
        ok = ours in mapping[theirs]
        per[theirs][0] += ok
        per[theirs][1] += 1
        if not ok:
            misses.append((theirs, text, ours))
    right = sum(r for r, _ in per.values())
    print("Nha Trang admissions -> school pack: %d/%d = %.1f %%" % (right, len(pairs), 100.0 * right / len(pairs)))
    for theirs in sorted(per):
        r, n = per[theirs]
        print("  %-40s %-28s %3d/%3d" % (theirs, "|".join(sorted(mapping[theirs])), r, n))
    for theirs, text, ours in misses:
        print("  miss [%s] %s -> %s" % (theirs, text, ours))
    return right / len(pairs)


def clinic(args, root):
    texts = []
    for name in ("vimq-dev.json", "vimq-test.json"):
        path = os.path.join(args.fixtures, name)
        if os.path.exists(path):
            texts += [q["sentence"].replace("_", " ") for q in json.load(open(path, encoding="utf-8"))]
    got = classify(args.switchboard, os.path.join(root, "tests/eval/intent-clinic.json"), texts)
    counts = collections.Counter(got)
    right = counts["medical_question"]
    print("ViMQ dev+test -> clinic pack: medical_question %d/%d = %.1f %%" % (right, len(texts), 100.0 * right / len(texts)))
    for intent, n in counts.most_common():
        print("  %-20s %4d" % (intent, n))
    for text, intent in zip(texts, got):
        if intent == "emergency":
            print("  emergency (review: urgent?) %s" % text)
    if args.verbose:
        for text, intent in zip(texts, got):
            if intent != "medical_question":
                print("  other [%s] %s" % (intent, text))
    return right / len(texts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switchboard", required=True, help="path of the switchboard binary")
    parser.add_argument("--fixtures", required=True, help="folder holding the public data sets")
    parser.add_argument("--target", type=float, default=0.90)
    parser.add_argument("--verbose", action="store_true", help="list every ViMQ question not on medical_question")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = {"school/nhatrang": school(args, root), "clinic/vimq": clinic(args, root)}
    failed = [name for name, accuracy in results.items() if accuracy < args.target]
    if failed:
        print("below the %.0f %% target: %s" % (100 * args.target, ", ".join(failed)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
