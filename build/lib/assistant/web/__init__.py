"""Shipped with the assistant package as assistant.web (see assistant/resources.py)."""
