"""Adapters over the core: the command line, the terminal console and the Telegram bot."""
