"""Append-only audit log: who viewed or changed what, when (UTC)."""
