"""The composition root: build the Application, wire every handler, set up shared services in post_init."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import memory
from bot.assistant import Assistant
from bot.concurrency import PerUserProcessor
from bot.config import Settings
from bot.handlers import admin, common, conversation
from bot.runtime import Runtime
from bot.services import Services
from bot.storage import Database
from bot.transport import AiohttpRequest, PollingRequest

logger = logging.getLogger(__name__)

# Measured with bench/load.py throughput (200 users, 6000 updates) on the aiohttp transport: 4 → 251-280,
# 8 → 275, 16 → 282 updates/s. On httpx it was 4 → 207, 64 → 121: its pool bookkeeping grew with requests in flight.
MAX_CONCURRENT_UPDATES = 8

COMMANDS = [
    ("start", "开始 / Start"), ("check", "资格自查 / Self-check"), ("deadline", "截止时间 / Deadlines"),
    ("contacts", "联系方式 / Contacts"), ("materials", "材料清单 / Materials"), ("help", "帮助 / Help"),
    ("privacy", "隐私说明 / Privacy"), ("forget", "删除我的数据 / Delete my data"),
]


def build_application(settings: Settings, services: Services, db: Database | None = None,
                      today: dt.date | None = None, rate_limiter: bool = True) -> Application:
    """Wire a Telegram Application on the given services; the token must be set."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required for the Telegram bot")
    db = db or Database(settings.database_path,
                        settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None)
    assistant = Assistant(services, db, settings.retention_days, (lambda: today) if today else dt.date.today)
    rt = Runtime(settings=settings, assistant=assistant, db=db)

    async def post_init(application: Application) -> None:
        await db.open()
        application.bot_data["runtime"] = rt
        await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        if application.job_queue is not None:
            application.job_queue.run_repeating(purge_old_data, interval=24 * 3600, first=60)
            application.job_queue.run_repeating(memory.trim_job, interval=memory.TRIM_INTERVAL_SECONDS,
                                                first=memory.TRIM_INTERVAL_SECONDS)

    async def post_shutdown(application: Application) -> None:
        await db.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(PerUserProcessor(MAX_CONCURRENT_UPDATES))
        .request(AiohttpRequest(connections=16))
        .get_updates_request(PollingRequest(pause=settings.poll_interval))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(settings.telegram_base_url)
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=settings.send_rate, max_retries=5))
    application = builder.build()
    application.bot_data["runtime"] = rt
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Every handler, in one commented block; the error handler last. The handlers only translate: the
    assistant service (bot/assistant.py) decides, the same one the console and the web use."""
    private = filters.ChatType.PRIVATE
    new = filters.UpdateType.MESSAGE
    text = filters.TEXT & ~filters.COMMAND & new

    # Before anything else: apply each update once, drop edits and data-less button presses (PTB would let
    # them match any pattern), then the per-user rate limit.
    application.add_handler(TypeHandler(Update, common.once_guard), group=-4)
    application.add_handler(TypeHandler(Update, common.edited_guard), group=-3)
    application.add_handler(TypeHandler(Update, common.empty_callback_guard), group=-2)
    application.add_handler(TypeHandler(Update, common.rate_guard), group=-1)

    # Commands anyone may use (in groups, nothing personal: the self-check and /why ask for a private chat).
    application.add_handler(CommandHandler("start", conversation.start, filters=new))
    application.add_handler(CommandHandler("help", conversation.help_command, filters=new))
    application.add_handler(CommandHandler("privacy", conversation.privacy, filters=new))
    application.add_handler(CommandHandler(["deadline", "contacts", "materials"], conversation.topic, filters=new))
    application.add_handler(CommandHandler("check", conversation.check, filters=new))
    application.add_handler(CommandHandler("why", conversation.why, filters=new))
    application.add_handler(CommandHandler("cancel", conversation.cancel, filters=new))
    application.add_handler(CommandHandler("forget", conversation.forget, filters=private & new))

    # Staff commands (refused and logged for anyone else).
    application.add_handler(CommandHandler("stats", admin.stats, filters=new))
    application.add_handler(CommandHandler("unanswered", admin.unanswered, filters=new))
    application.add_handler(CommandHandler("export", admin.export, filters=new))
    application.add_handler(CommandHandler("reload", admin.reload, filters=new))

    # Every button: the assistant parses its data and answers stale or forged ones politely.
    application.add_handler(CallbackQueryHandler(conversation.press))

    # Free text in private chats is an answer to the self-check or a question; groups get commands only.
    application.add_handler(MessageHandler(text & private, conversation.text))
    application.add_handler(MessageHandler(private & ~filters.COMMAND & ~filters.TEXT & new, common.unsupported))

    # Last: commit the update-id record if the update wrote nothing else.
    application.add_handler(TypeHandler(Update, common.commit_guard), group=100)

    application.add_error_handler(common.on_error)


def webhook_params(settings: Settings, listen: str = "0.0.0.0") -> dict[str, object]:
    """How to listen for Telegram's calls: on PORT, at the path of WEBHOOK_URL, checking the secret token."""
    assert settings.webhook_url is not None
    return {
        "listen": listen,
        "port": settings.port,
        "url_path": urlparse(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
    }


async def purge_old_data(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Deletes sessions, consent and logs kept longer than the retention period."""
    rt = context.application.bot_data["runtime"]
    removed = await rt.db.purge_older_than(rt.settings.retention_days)
    logger.info("retention: removed %s rows older than %s days", removed, rt.settings.retention_days)
