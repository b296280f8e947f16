"""Benchmarks: synthetic notes, genanki's floor, and the timing script (python -m benchmarks.bench)."""
