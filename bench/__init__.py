"""Benchmarks and data generators; run as modules (``python -m bench.…``), never by the test suite."""
