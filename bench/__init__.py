"""Benchmarks: ``python -m bench [module ...]`` runs every ``bench/*_bench.py`` and writes docs/benchmarks.md."""
