"""Helpers shared by test modules (and the benchmarks): data worlds and protocol clients, no tests."""
