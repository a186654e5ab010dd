"""Retrieval benchmark: our engine against two baselines a user might pick, on the same questions.

    python bench/retrieval.py            # all engines, a table
    python bench/retrieval.py --engine ours --json   # one engine, in this process (what the table runs)

Engines: ``ours`` (the assistant's whole chat turn: reading, guards, facts, routing, char unigram/bigram BM25,
coverage-based refusal), ``wratio`` (rapidfuzz
``process.extractOne`` with WRatio over the same question variants, refusing below a cutoff), and ``jieba``
(jieba word segmentation + the same BM25 and refusal; needs ``pip install jieba``, not a project dependency).
Each engine runs in its own process so start-up time and peak memory are its own. Cases: the example set in
../shared/eval (if present) and the probe sets in tests/data. Pass rule: as ../shared/eval/qa_eval.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CASE_FILES = [ROOT.parent / "shared/eval/dev_qa.jsonl",
              *sorted((ROOT / "tests/data").glob("paraphrases*.jsonl"), key=lambda p: int("0" + p.stem[11:]))]
TODAY = dt.date(2026, 11, 26)
WRATIO_CUTOFF = 70.0  # best of 60/70/80/90 on these cases (see --sweep)


def load_cases() -> list[dict]:
    cases = []
    for path in CASE_FILES:
        if path.exists():
            cases += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return cases


def build(engine: str, cutoff: float = WRATIO_CUTOFF):
    """Return ask(question, today) -> (found, answer) for the named engine."""
    from bot.services import build_services

    services = build_services()
    ours = services.engine
    if engine == "ours":  # the path every channel takes: one chat turn, no earlier turns
        def ask_ours(q: str, today: dt.date) -> tuple[bool, str]:
            now = dt.datetime.combine(today, dt.time(12))
            answer = services.reply(None, q, today, now).answer
            return answer.found, answer.answer

        return ask_ours

    from knowledge.normalize import fold

    variants, owners = [], []
    for entry in services.kb.faq:
        for q in [*entry.questions, *entry.questions_en]:
            variants.append(fold(q))
            owners.append(entry.id)

    def render(owner: str, q: str, today: dt.date) -> tuple[bool, str]:
        from knowledge.normalize import is_english

        answer = ours.answer_entry(owner, today, english=is_english(q))
        return answer.found, answer.answer

    if engine == "wratio":
        from rapidfuzz import fuzz, process

        def ask_wratio(q: str, today: dt.date) -> tuple[bool, str]:
            best = process.extractOne(fold(q), variants, scorer=fuzz.WRatio, score_cutoff=cutoff)
            return render(owners[best[2]], q, today) if best else (False, "")

        return ask_wratio

    if engine == "jieba":
        import logging

        import jieba

        from knowledge.index import Bm25

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()

        def cut(text: str) -> list[str]:
            return [w for w in jieba.lcut(fold(text)) if w.strip() and w.isalnum()]

        bm25 = Bm25()
        for v, o in zip(variants, owners, strict=True):
            bm25.add(o, cut(v))
        bm25.freeze()
        vocab = bm25.vocabularies()
        every = set().union(*vocab.values())

        def ask_jieba(q: str, today: dt.date) -> tuple[bool, str]:
            tokens = cut(q)
            scores = bm25.scores(tokens)
            if not scores:
                return False, ""
            owner = max(scores, key=scores.__getitem__)
            if bm25.coverage(tokens, every) < ours.t.min_coverage:
                return False, ""
            return render(owner, q, today)

        return ask_jieba
    raise SystemExit(f"unknown engine {engine}")


def passes(case: dict, found: bool, answer: str) -> bool:
    from tests.qa_scoring import check

    return check(case, found, answer) is None


def run_one(engine: str, cutoff: float = WRATIO_CUTOFF) -> dict:
    t0 = time.perf_counter()
    ask = build(engine, cutoff)
    ready = time.perf_counter() - t0
    cases = load_cases()
    latencies, passed = [], 0
    for case in cases:
        today = dt.date.fromisoformat(case["today"]) if "today" in case else TODAY
        start = time.perf_counter()
        found, answer = ask(case["q"], today)
        latencies.append((time.perf_counter() - start) * 1000)
        passed += passes(case, found, answer)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return {
        "engine": engine, "cases": len(cases), "accuracy": passed / len(cases),
        "p50_ms": statistics.median(latencies), "p99_ms": p99,
        "ready_s": ready, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["ours", "wratio", "jieba"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cutoff", type=float, default=WRATIO_CUTOFF)
    parser.add_argument("--sweep", action="store_true", help="try WRatio cutoffs 60, 70, 80, 90")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(run_one(args.engine, args.cutoff)))
        return
    runs = [("ours", WRATIO_CUTOFF), ("wratio", WRATIO_CUTOFF), ("jieba", WRATIO_CUTOFF)]
    if args.sweep:
        runs = [("wratio", c) for c in (60.0, 70.0, 80.0, 90.0)]
    base = subprocess.run([sys.executable, "-c", "import resource;print(resource.getrusage(resource.RUSAGE_SELF)"
                           ".ru_maxrss/1024)"], capture_output=True, text=True, check=True)
    print(f"bare interpreter peak RSS: {float(base.stdout):.1f} MB")
    print(f"{'engine':<10}{'cases':>6}{'accuracy':>10}{'p50 ms':>9}{'p99 ms':>9}{'ready s':>9}{'peak MB':>9}")
    for engine, cutoff in runs:
        proc = subprocess.run([sys.executable, __file__, "--engine", engine, "--json", "--cutoff", str(cutoff)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{engine:<10} failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr else '?'}")
            continue
        r = json.loads(proc.stdout)
        name = f"{engine}@{cutoff:.0f}" if args.sweep else engine
        print(f"{name:<10}{r['cases']:>6}{r['accuracy']:>10.1%}{r['p50_ms']:>9.3f}{r['p99_ms']:>9.3f}"
              f"{r['ready_s']:>9.3f}{r['peak_rss_mb']:>9.1f}")


if __name__ == "__main__":
    main()
