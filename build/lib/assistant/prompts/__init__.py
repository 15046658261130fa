"""Shipped with the assistant package as assistant.prompts (see assistant/resources.py)."""
