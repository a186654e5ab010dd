"""Every sentence the bot says about itself, in Chinese and English, in one place.

Answers about the notice come from the knowledge base; this file holds only the bot's own wording.
"""

from __future__ import annotations

CONSENT_VERSION = "2024-1"

TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "zh": "您好！我是2024年享受国务院政府特殊津贴人员选拔推荐工作（晋人社厅函〔2024〕230号，阳泉市转发文"
              "阳人社函〔2024〕41号）的咨询助手。\n\n我可以：\n· 回答关于截止时间、联系方式、名额、条件、程序和材料的"
              "问题，并注明依据的条款；\n· 带您做资格自查（专业技术人才、高技能人才两类）。\n\n直接输入问题即可，"
              "或点下面的按钮。",
        "en": "Hello! I answer questions about Shanxi's 2024 selection for the State Council Special Government "
              "Allowance (晋人社厅函〔2024〕230号, forwarded in Yangquan as 阳人社函〔2024〕41号).\n\nI can:\n"
              "· answer questions on deadlines, contacts, quotas, conditions, procedure and materials, citing the "
              "clause;\n· walk you through an eligibility self-check (professional-technical or high-skill "
              "talent).\n\nJust type a question, or use the buttons below.",
    },
    "privacy": {
        "zh": "隐私说明：为回答问题和改进服务，我会保存您的提问（以不可逆的化名记录，不含您的账号）和您对回答的评价；"
              "资格自查的答案保存在数据库中，以便您下次继续，{days}天未使用即自动删除。这些信息只用于本咨询服务，"
              "不对外提供。发送 /forget 可随时删除与您有关的全部数据。",
        "en": "Privacy: to answer and improve, I keep your questions (under a one-way pseudonym, not your account) "
              "and your feedback on answers; your self-check answers are kept so you can continue later and are "
              "deleted after {days} days without use. They serve this assistant only and are not shared. Send "
              "/forget at any time to delete everything about you.",
    },
    "help": {
        "zh": "用法：\n· 直接输入问题，例如「材料报送截止时间」「专技处联系电话」「护士能申报吗」；\n"
              "· /check 资格自查（/why 查看当前问题依据的条款，/cancel 暂停）；\n"
              "· /deadline 截止时间　/contacts 联系方式　/materials 材料清单\n"
              "· /privacy 隐私说明　/forget 删除我的数据",
        "en": "How to use:\n· type a question, e.g. \"When is the deadline?\" or \"Can foreigners apply?\";\n"
              "· /check eligibility self-check (/why shows the clause behind the question, /cancel pauses);\n"
              "· /deadline, /contacts, /materials\n· /privacy, /forget to delete my data",
    },
    "menu_ask": {"zh": "❓ 提问", "en": "❓ Ask"},
    "menu_check": {"zh": "✅ 资格自查", "en": "✅ Self-check"},
    "menu_deadline": {"zh": "⏰ 截止时间", "en": "⏰ Deadlines"},
    "menu_contacts": {"zh": "☎️ 联系方式", "en": "☎️ Contacts"},
    "menu_materials": {"zh": "📄 材料清单", "en": "📄 Materials"},
    "ask_prompt": {"zh": "请直接输入您的问题。", "en": "Please type your question."},
    "based_on": {"zh": "依据：", "en": "Source: "},
    "none_of_these": {"zh": "都不是", "en": "None of these"},
    "none_reply": {
        "zh": "抱歉没能理解您的问题，已记录下来供工作人员改进。您可以换个说法再问，或直接咨询：{contact}",
        "en": "Sorry I did not get it; the question is recorded for staff. Try other words, or ask: {contact}",
    },
    "thanks_feedback": {"zh": "谢谢您的反馈！", "en": "Thank you for the feedback!"},
    "feedback_once": {"zh": "已经收到您的评价了。", "en": "Your feedback is already recorded."},
    "stale": {"zh": "这一步已经过去了，此按钮不再有效。", "en": "This step has passed; the button no longer applies."},
    "only_text": {
        "zh": "我只能处理文字提问。请用文字输入您的问题，或发送 /help 查看用法。",
        "en": "I can only read text. Please type your question, or send /help.",
    },
    "private_only": {
        "zh": "为保护个人信息，资格自查和提问请私聊我进行。",
        "en": "To protect personal data, please use the self-check and questions in a private chat with me.",
    },
    "too_long": {
        "zh": "问题太长了（超过{limit}字），请精简后再问。",
        "en": "That is too long (over {limit} characters); please shorten it.",
    },
    "rate_limited": {
        "zh": "您发送得太快了，请稍等几秒再继续。",
        "en": "You are sending messages too quickly; please wait a few seconds.",
    },
    "storage_error": {
        "zh": "抱歉，暂时无法保存（数据库繁忙），刚才这一步没有保存，请稍后重试。问答功能不受影响。",
        "en": "Sorry, I could not save just now (the database is busy); that step was not saved. Please retry. "
              "Questions still work.",
    },
    "error": {
        "zh": "抱歉，处理时出了点问题，请稍后重试。",
        "en": "Sorry, something went wrong. Please try again.",
    },
    # ------------------------------------------------------------------ consent and questionnaire
    "consent_ask": {
        "zh": "开始资格自查前，请阅读：\n\n{privacy}\n\n同意后开始自查。",
        "en": "Before the self-check, please read:\n\n{privacy}\n\nAgree to start.",
    },
    "consent_yes": {"zh": "同意并开始", "en": "Agree and start"},
    "consent_no": {"zh": "不同意", "en": "Do not agree"},
    "consent_declined": {
        "zh": "好的，不做自查也可以直接提问。需要时发送 /check。",
        "en": "Fine: you can still ask questions. Send /check whenever you like.",
    },
    "unsure": {"zh": "不确定", "en": "Not sure"},
    "back": {"zh": "⬅️ 上一步", "en": "⬅️ Back"},
    "review": {"zh": "📝 查看/修改", "en": "📝 Review"},
    "restart": {"zh": "🔄 重新开始", "en": "🔄 Restart"},
    "done": {"zh": "完成", "en": "Done"},
    "none_apply": {"zh": "都不具备", "en": "None of these"},
    "type_answer": {"zh": "（请直接输入）", "en": "(type your answer)"},
    "progress": {"zh": "第{n}题", "en": "Question {n}"},
    "current": {"zh": "当前答案：{value}", "en": "Current answer: {value}"},
    "review_title": {"zh": "您的回答（点按钮修改）：", "en": "Your answers (tap to change):"},
    "review_empty": {"zh": "还没有回答任何问题。", "en": "No answers yet."},
    "continue": {"zh": "继续", "en": "Continue"},
    "why_none": {"zh": "当前没有进行中的自查。发送 /check 开始。", "en": "No self-check in progress. Send /check."},
    "why": {"zh": "这个问题依据：{citation}\n{text}", "en": "This question rests on {citation}:\n{text}"},
    "cancelled": {
        "zh": "已暂停自查，答案已保存。发送 /check 继续，/forget 删除。",
        "en": "Self-check paused; your answers are kept. /check continues, /forget deletes.",
    },
    "outcome_eligible": {"zh": "✅ 初步符合条件", "en": "✅ Appears eligible"},
    "outcome_review": {"zh": "⚠️ 需要单位研究决定或补充信息", "en": "⚠️ Needs your unit's decision or more facts"},
    "outcome_ineligible": {"zh": "❌ 不符合申报条件", "en": "❌ Not eligible"},
    "result_title": {"zh": "自查结果：{outcome}", "en": "Result: {outcome}"},
    "track_line": {"zh": "申报类别：{track}", "en": "Track: {track}"},
    "track_unknown": {"zh": "未确定", "en": "not determined"},
    "reasons": {"zh": "逐项说明：", "en": "Each condition:"},
    "missing_line": {"zh": "还需确认：{fields}", "en": "Still to confirm: {fields}"},
    "next_steps": {"zh": "下一步：", "en": "Next steps:"},
    "early_stop": {
        "zh": "由于以上排除条件，无需继续回答。如果您对这一项不确定，可以点下方按钮改为「不确定」继续。",
        "en": "Because of the exclusion above there is no need to go on. If you are not sure about it, tap "
              "below to mark it \"not sure\" and continue.",
    },
    "not_sure_of": {"zh": "我不确定：{question}", "en": "Not sure: {question}"},
    "not_binding": {
        "zh": "本自查结果仅供参考，不具约束力；是否推荐由所在单位和各级人社部门按程序审核决定。",
        "en": "This self-check is not binding; your unit and the HR authorities decide through the procedure.",
    },
    "result_pass": {"zh": "✔", "en": "✔"},
    "result_fail": {"zh": "✘", "en": "✘"},
    "result_unknown": {"zh": "？", "en": "?"},
    # ------------------------------------------------------------------ forget and staff
    "forget_confirm": {
        "zh": "确定要删除与您有关的全部数据吗（提问记录、评价、自查答案和进度、同意记录）？此操作不可撤销。",
        "en": "Delete everything stored about you (questions, feedback, self-check answers and progress, "
              "consent)? This cannot be undone.",
    },
    "forget_yes": {"zh": "确定删除", "en": "Delete"},
    "forget_no": {"zh": "取消", "en": "Cancel"},
    "forgotten": {"zh": "已删除与您有关的全部数据。", "en": "Everything stored about you has been deleted."},
    "forget_kept": {"zh": "已取消，数据未删除。", "en": "Cancelled; nothing was deleted."},
    "admin_only": {"zh": "此命令仅限管理员在私聊中使用。", "en": "This command is for administrators in private chat."},
    "no_token": {
        "zh": "未设置 TELEGRAM_BOT_TOKEN：在 Telegram 中向 @BotFather 发送 /newbot 获取令牌，然后\n"
              "  export TELEGRAM_BOT_TOKEN=123456:ABC...\n再运行 python -m bot。现在先启动终端对话模式。",
        "en": "TELEGRAM_BOT_TOKEN is not set: message @BotFather on Telegram with /newbot to get a token, then\n"
              "  export TELEGRAM_BOT_TOKEN=123456:ABC...\nand run python -m bot again. Starting the console now.",
    },
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The text for ``key`` in ``lang`` (Chinese when there is no English), with values filled in."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text


def lang_of(language_code: str | None) -> str:
    """English for users whose Telegram language is English; Chinese otherwise."""
    return "en" if (language_code or "").lower().startswith("en") else "zh"
