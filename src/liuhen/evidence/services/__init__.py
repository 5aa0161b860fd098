"""Writes of the evidence app: upload intake, the device registry, interruptions."""
