"""Parties' and agents' requests to see or copy records (R6.2; 政府信息公开条例): registration, the
working-day clock, decisions with their legal reasons, redacted derivatives, and the delivered package."""
