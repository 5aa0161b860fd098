"""Statutory form definitions, one module per group of stages; each exports ``TYPES``."""
