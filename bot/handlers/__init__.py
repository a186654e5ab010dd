"""Telegram handlers, one module per concern; each turns an update into plain input and renders the result."""
