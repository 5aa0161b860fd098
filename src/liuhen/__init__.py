"""Liuhen (留痕): whole-process recording of administrative enforcement."""

__version__ = "0.1.0"
