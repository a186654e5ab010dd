"""Leave-one-out over the FAQ's own question variants: how well an entry is found from its other wordings.

    python bench/leave_one_out.py [--list]

For every curated entry with three or more Chinese variants, each variant is removed from the index in turn
and asked; it passes when the engine answers with that entry or offers it among its choices. A variant that
only its own words could find shows where the lexicon lacks a bridge (记者 → 宣传文化). Rebuilds the engine for
every variant: about a minute.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services import build_services
from knowledge.engine import Engine

TODAY = dt.date(2026, 11, 26)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print every variant that was not found")
    args = parser.parse_args()
    kb = build_services().kb
    misses: list[tuple[str, str, str | None, str]] = []
    total = 0
    for entry in (e for e in kb.faq if e.kind == "answer" and len(e.questions) >= 3):
        for i, variant in enumerate(entry.questions):
            reduced = entry.model_copy(update={"questions": entry.questions[:i] + entry.questions[i + 1:]})
            engine = Engine(dataclasses.replace(kb, faq=[reduced if e.id == entry.id else e for e in kb.faq]))
            reply = engine.ask(variant, TODAY)
            total += 1
            if reply.entry_id != entry.id and entry.id not in reply.option_ids:
                misses.append((entry.id, variant, reply.entry_id, reply.kind))
    print(f"leave-one-out: {total - len(misses)}/{total} variants found from the others")
    if args.list:
        for miss in misses:
            print("  ", *miss)


if __name__ == "__main__":
    main()
