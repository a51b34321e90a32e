"""Whole sandbox calls from persona files: simulate, score, evaluate, report."""
