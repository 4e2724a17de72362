"""Debrief: local-first help for the days after an interview that went badly."""

__version__ = "0.1.0"
