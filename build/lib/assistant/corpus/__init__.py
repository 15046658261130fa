"""Shipped with the assistant package as assistant.corpus (see assistant/resources.py)."""
