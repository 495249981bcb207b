"""Placeholder: this family's layers register here (being written)."""
