"""Test doubles: blocking fallback hub, manual clock, slow fake resolver."""
