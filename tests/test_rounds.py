"""Several rounds side by side (the next-round notice here is a fictitious fixture written from the 2024 one):
the current round is the latest issued by today; a question naming an earlier round is answered from it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.services import build_services
from knowledge.loader import data_dir

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "tests" / "data" / "notices"


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("knowledge")
    shutil.copytree(data_dir() / "rounds" / "2024", home / "rounds" / "2024")
    done = subprocess.run([sys.executable, "-m", "bot", "import-notice", str(NOTICES / "next-round.txt"), "--out",
                           str(home / "rounds" / "2026")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return home


def ask(services, question: str, today: dt.date) -> str:
    return services.reply(None, question, today, dt.datetime.combine(today, dt.time(10))).answer.answer


def test_the_current_round_is_the_latest_issued_by_today(two_rounds: Path) -> None:
    services = build_services(two_rounds, today=dt.date(2026, 4, 1))
    assert [r.year for r in services.rounds] == [2024, 2026]
    assert services.at(dt.date(2026, 4, 1)).year == 2026
    assert services.at(dt.date(2025, 6, 1)).year == 2024  # the 2026 notice was not issued yet
    now = ask(services, "材料报送截止时间", dt.date(2026, 4, 1))
    assert "5月22日" in now and "5月10日" not in now


def test_a_question_naming_an_earlier_round_is_answered_from_it_and_says_so(two_rounds: Path) -> None:
    services = build_services(two_rounds, today=dt.date(2026, 4, 1))
    then = ask(services, "2024年那次的材料截止时间是哪天", dt.date(2026, 4, 1))
    assert "2024年那一轮" in then and "5月10日" in then and "已截止" in then
    assert "5月22日" not in then


def test_the_retirement_rule_follows_the_new_cutoff_with_the_gradual_raise(two_rounds: Path) -> None:
    """A man born in March 1966 reaches 60 years and 4 months in July 2026, before a 2026-12-31 cutoff; one
    born in October 1966 reaches 60 years and 6 months in April 2027, after it."""
    services = build_services(two_rounds, today=dt.date(2026, 4, 1))
    base = {"track": "professional", "employed": True, "in_post_recent_5y": True, "government_staff": False,
            "vice_provincial_or_above": False, "leader_not_practicing": False, "already_receives": False,
            "gender": "male", "senior_title": True, "achievements": ["P2"]}
    from bot.cli import screen_line

    march = screen_line(services, json.dumps({**base, "birth_date": "1966-03-15"}), dt.date(2026, 4, 1))
    october = screen_line(services, json.dumps({**base, "birth_date": "1966-10-15"}), dt.date(2026, 4, 1))
    assert march["outcome"] == "review" and march["cutoff_date"] == "2026-12-31"
    assert "2026年7月15日" in next(r["explanation"] for r in march["reasons"] if r["id"] == "retirement")
    assert october["outcome"] == "eligible"


def test_ask_and_chat_read_knowledge_dir(two_rounds: Path) -> None:
    env = {"KNOWLEDGE_DIR": str(two_rounds), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "--today", "2026-04-01", "全省一共多少名额"],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert "64" in reply["answer"] and "59" not in reply["answer"]


@pytest.mark.parametrize("quota", ["skilled_each", "health", "education", "city_professional"])
def test_the_whose_quota_answer_never_stops_a_round_that_lacks_a_quota(tmp_path: Path, quota: str) -> None:
    """The whose-quota answer marks each quota's line optional (?): a next round's notice without that quota
    (the held-out Datong notice sets no skilled quota per city) is not stopped by it, and without the skilled
    quota the round loads and answers."""
    home = tmp_path / "knowledge"
    shutil.copytree(data_dir() / "rounds" / "2024", home / "rounds" / "2024")
    facts = home / "rounds" / "2024" / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    start = text.index(f'[[facts.quotas]]\nid = "{quota}"')
    end = text.index("\n\n", start)
    facts.write_text(text[:start] + text[end + 2:], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "听说卫健委有18个名额，我是不是占那个？"],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "KNOWLEDGE_DIR": str(home)})
    assert "quota.whose" not in done.stderr
    if quota == "skilled_each":
        assert done.returncode == 0 and "人事隶属关系" in done.stdout, done.stdout + done.stderr
