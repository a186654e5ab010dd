"""The web channel: a chat page and staff pages on the same assistant service and database as Telegram.

``python -m bot web`` serves it (bot/web/server.py); chat.py is the visitor's side, staff.py the staff's.
"""
