#!/usr/bin/env python3
"""Cuts the small text and time-series samples shipped in data/ from the full data sets in /work/shared/datasets
(see that folder's MANIFEST.md for origin and licences). Standard library only; deterministic (fixed gzip mtime).

    /usr/bin/python3 data/text-samples/make_samples.py [SHARED_DATASETS_DIR]

Writes:
  data/imdb-sample/imdb_{train,test}.tsv.gz   header + first 250 negative + first 250 positive reviews per split
  data/text-sample/carroll-alice.txt.gz       first 20,000 characters of Alice's Adventures in Wonderland
  data/text-sample/tinyshakespeare-input.txt.gz first 20,000 characters of Tiny Shakespeare
  data/conll2000-sample/{train,test}.txt.gz   first 300 / 100 sentences
  data/babi-sample/qa1_single-supporting-fact_{train,test}.txt.gz  first 200 / 50 stories
  data/timeseries-sample/*.csv.gz             the three series whole (airline passengers, sunspots, temperatures)
"""
import gzip
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets"
DATA = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(rel):
    rel = rel if rel.endswith(".gz") else rel + ".gz"
    with gzip.open(os.path.join(SRC, rel), "rb") as f:
        return f.read()


def write(folder, name, content):
    os.makedirs(os.path.join(DATA, folder), exist_ok=True)
    path = os.path.join(DATA, folder, name)
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename=name[:-3], mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(content)
    os.replace(tmp, path)
    print("%s/%s: %d bytes (content %d)" % (folder, name, os.path.getsize(path), len(content)))


def imdb(split):
    lines = read("imdb/imdb_%s.tsv.gz" % split).decode("utf-8").split("\n")
    header, rows = lines[0], [l for l in lines[1:] if l]
    neg = [r for r in rows if r.startswith("0\t")][:250]
    pos = [r for r in rows if r.startswith("1\t")][:250]
    write("imdb-sample", "imdb_%s.tsv.gz" % split, ("\n".join([header] + neg + pos) + "\n").encode("utf-8"))


def text(name):
    write("text-sample", name + ".gz", read("text/" + name).decode("utf-8")[:20000].encode("utf-8"))


def conll(split, n):
    sentences = read("conll2000/%s.txt.gz" % split).decode("ascii").split("\n\n")
    write("conll2000-sample", "%s.txt.gz" % split, ("\n\n".join(sentences[:n]) + "\n\n").encode("ascii"))


def babi(split, n):
    lines = read("babi/qa1_single-supporting-fact_%s.txt.gz" % split).decode("utf-8").splitlines(True)
    out, stories = [], 0
    for line in lines:
        if line.split(" ", 1)[0] == "1":
            stories += 1
            if stories > n:
                break
        out.append(line)
    write("babi-sample", "qa1_single-supporting-fact_%s.txt.gz" % split, "".join(out).encode("utf-8"))


imdb("train"); imdb("test")
text("carroll-alice.txt"); text("tinyshakespeare-input.txt")
conll("train", 300); conll("test", 100)
babi("train", 200); babi("test", 50)
for name in ("airline-passengers.csv", "monthly-sunspots.csv", "daily-min-temperatures.csv"):
    write("timeseries-sample", name + ".gz", read("timeseries/" + name + ".gz"))
