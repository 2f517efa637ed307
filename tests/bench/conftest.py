"""Smoke runs of the benchmarks in bench/ (seconds, on the test fixtures): the figures are
in docs/benchmarks.md; these only keep the scripts working."""
