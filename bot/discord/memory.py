"""The garbage-collector policy as the Discord layer calls it after each (re)load: the rule
itself is in `bot.memory`, beside the pause that loading and indexing use."""

from bot.memory import serve, settle, stop_serving

__all__ = ["serve", "settle", "stop_serving"]
