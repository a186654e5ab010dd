"""Crash safety: kill the bot with SIGKILL at random moments during scripted self-checks, restart, check.

    python bench/crash.py --rounds 200 [--seed 1] [--users 4]

The bot runs as a real subprocess (``python -m bot``) against the fake Bot API server in this process. Users
walk through the self-check concurrently; at a random moment the bot is killed with SIGKILL. After each kill:
``PRAGMA integrity_check`` must be ok; every step the bot acknowledged (an edit showing the next question) must
be in the database; after a restart each user's /check must resume at the question their stored answers lead
to. Prints the figures at the end; exits non-zero on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.storage import pseudonym  # noqa: E402
from knowledge.phrasebook import phrases  # noqa: E402
from screening.faq import label_values  # noqa: E402
from screening.questionnaire import Done, Questionnaire  # noqa: E402
from tests.fakebot import TOKEN, FakeBotApi, Sent  # noqa: E402

PSEUDONYM_KEY = "crash-bench-key"  # given to the bot, so the script finds each user's session
ROUND: dict = {}  # the round's values that question texts name ({cutoff}, {recent_years})

# What each scripted user answers, by the start of the question's text (a path to each outcome).
PROFILES = [
    {"您想按哪一类": "专业技术人才", "您目前是在职": "是", "近5年": "是", "党政军群": "否", "副省部级": "否",
     "领导职务": "否", "已经享受": "未享受", "出生日期": "1978-03-01", "高级职称": "有", "具备下列": "P2|完成"},
    {"您想按哪一类": "高技能人才", "您目前是在职": "是", "近5年": "是", "党政军群": "否", "副省部级": "否",
     "领导职务": "否", "已经享受": "未享受", "出生日期": "1972-03-01", "性别": "女", "岗位类别": "工人岗位",
     "最高职业资格": "高级技师", "多少年": "12", "具备下列": "S5|完成"},
    {"您想按哪一类": "高技能人才", "您目前是在职": "是", "近5年": "是", "党政军群": "是"},
    {"您想按哪一类": "不确定", "您目前是在职": "是", "近5年": "不确定", "党政军群": "否", "副省部级": "否",
     "领导职务": "否", "已经享受": "不确定", "出生日期": "1962-08-01", "高级职称": "有", "最高职业资格": "技师（二级）",
     "具备下列": "P6|完成"},
]


@dataclass
class Figures:
    rounds: int = 0
    kills: int = 0
    acknowledged: int = 0  # steps the bot showed as done before a kill
    lost: int = 0  # acknowledged steps missing from the database afterwards
    integrity_failures: int = 0
    resumes: int = 0
    wrong_resumes: int = 0
    restart_seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def start_bot(base_url: str, db_path: Path) -> asyncio.subprocess.Process:
    # Scripted users act far faster than people: lift the per-user flood limit (tested on its own elsewhere).
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": base_url, "DATABASE_PATH": str(db_path),
           "RATE_LIMIT_MESSAGES": "1000000", "PYTHONPATH": str(ROOT), "PSEUDONYM_KEY": PSEUDONYM_KEY}
    return asyncio.create_subprocess_exec(sys.executable, "-m", "bot", env=env, cwd=db_path.parent,
                                          stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


def answer_for(profile: dict, text: str) -> str | None:
    first_line = text.split("\n")[0]
    return next((label for prefix, label in profile.items() if prefix in first_line), None)


def stored_state(db_path: Path, user: int) -> dict | None:
    """The questionnaire state stored for the user (its session is keyed by the user's pseudonym)."""
    with sqlite3.connect(db_path, timeout=5) as conn:
        row = conn.execute("SELECT data FROM sessions WHERE key=?",
                           (pseudonym(PSEUDONYM_KEY.encode(), user),)).fetchone()
    check = json.loads(row[0]).get("check") if row else None
    return check["state"] if check else None


@dataclass
class Walk:
    """What one user saw acknowledged this round: steps since the walk's last (re)start."""

    acked: int = 0
    restarted: bool = False
    restart_in_flight: bool = False  # a restart was sent but not yet shown: it may or may not have landed


async def user_walk(api: FakeBotApi, user: int, profile: dict, walk: Walk) -> None:
    """Walk one user through the self-check, counting the steps the bot acknowledged."""
    before = len(api.to(user))
    await api.says(user, "/check")
    msg: Sent = await api.next_message(user, before, timeout=15)
    if "同意并开始" in str(msg.buttons):
        await press_and_wait(api, user, msg, "同意并开始")
    while True:
        if "自查结果" in msg.text:
            walk.restart_in_flight = True
            await press_and_wait(api, user, msg, "重新开始")
            walk.acked, walk.restarted, walk.restart_in_flight = 0, True, False
            continue
        label = answer_for(profile, msg.text)
        if label is None:
            return
        if "出生日期" in msg.text or "多少年" in msg.text:
            n = len(api.to(user))
            await api.says(user, label)
            reply = await api.next_message(user, n, timeout=15)
            if answer_for(profile, reply.text) is None and "自查结果" not in reply.text:
                return  # not the next step (a notice or an error): not acknowledged
            msg = reply
        else:
            for part in label.split("|"):
                await press_and_wait(api, user, msg, part)
        walk.acked += 1
        await asyncio.sleep(random.uniform(0, 0.05))


async def press_and_wait(api: FakeBotApi, user: int, msg: Sent, label: str) -> None:
    versions = len(msg.versions)
    await api.presses(user, msg, msg.data_for(label))
    await api.wait_for(lambda: len(msg.versions) > versions, timeout=15)


async def one_round(api: FakeBotApi, url: str, db_path: Path, q: Questionnaire, users: list[int], fig: Figures,
                    rng: random.Random) -> None:
    proc = await start_bot(url, db_path)
    t0 = time.monotonic()
    await api.wait_for(lambda: any(m == "setMyCommands" for m, _ in api.log[-50:]), timeout=30)
    fig.restart_seconds.append(time.monotonic() - t0)
    api.log.clear()

    # Resume check: each user's /check shows the question their stored answers lead to.
    for user in users:
        state = stored_state(db_path, user)
        if state is None:
            continue
        before = len(api.to(user))
        await api.says(user, "/check")
        msg = await api.next_message(user, before, timeout=15)
        state = stored_state(db_path, user)  # redelivered updates may have moved it on
        step = q.step(state)
        expected = "自查结果" if isinstance(step, Done) else step.text.format(**ROUND).split("（")[0][:12]
        fig.resumes += 1
        if expected not in msg.text:
            fig.wrong_resumes += 1
            fig.problems.append(f"user {user}: resumed at {msg.text[:30]!r}, expected {expected!r}")

    walks = {u: Walk() for u in users}
    stored_before = {u: len((stored_state(db_path, u) or {}).get("order", [])) for u in users}
    tasks = [asyncio.create_task(user_walk(api, u, PROFILES[i % len(PROFILES)], walks[u]))
             for i, u in enumerate(users)]
    await asyncio.sleep(rng.uniform(0.1, 2.5))
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    fig.kills += 1
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    with sqlite3.connect(db_path) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            fig.integrity_failures += 1
    for user, walk in walks.items():
        stored = len((stored_state(db_path, user) or {}).get("order", []))
        expected = walk.acked if walk.restarted else stored_before[user] + walk.acked
        fig.acknowledged += walk.acked
        if walk.restart_in_flight and stored == 0:
            continue  # the step in flight was a restart, and it landed: nothing acknowledged is missing
        if stored < expected:
            fig.lost += expected - stored
            order = (stored_state(db_path, user) or {}).get("order", [])
            shown = [m.text.split("\n")[0][:10] for m in api.to(user)][-6:]
            fig.problems.append(f"user {user}: {expected} steps acknowledged in all, {stored} stored "
                                f"(before {stored_before[user]}, restarted {walk.restarted}); stored {order}; "
                                f"last shown {shown}")
    fig.rounds += 1


async def run(rounds: int, seed: int, n_users: int) -> Figures:
    rng = random.Random(seed)
    random.seed(seed)
    api = FakeBotApi()
    url = await api.start()
    fig = Figures()
    users = [9000 + i for i in range(n_users)]
    from bot.services import build_services

    services = build_services()
    q = Questionnaire(services.criteria, services.kb.clauses)
    ROUND.update(label_values(services.criteria, phrases("zh")))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "crash.sqlite3"
        try:
            for _ in range(rounds):
                await one_round(api, url, db_path, q, users, fig, rng)
                api.forget_messages()
        finally:
            await api.stop()
    return fig


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=4)
    args = parser.parse_args()
    start = time.monotonic()
    fig = asyncio.run(run(args.rounds, args.seed, args.users))
    restarts = sorted(fig.restart_seconds)
    print(f"rounds {fig.rounds}, SIGKILLs {fig.kills}, acknowledged steps {fig.acknowledged}, lost {fig.lost}, "
          f"integrity failures {fig.integrity_failures}, resumes {fig.resumes}, wrong resumes {fig.wrong_resumes}, "
          f"restart to ready p50 {restarts[len(restarts) // 2]:.2f} s, {time.monotonic() - start:.0f} s in all")
    for problem in fig.problems[:20]:
        print("  ", problem)
    return 1 if (fig.lost or fig.integrity_failures or fig.wrong_resumes) else 0


if __name__ == "__main__":
    sys.exit(main())
