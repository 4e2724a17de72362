"""Debrief: local-first help for the days after an interview that went badly."""

import os

# onnxruntime (used for embeddings) phones home unless this is set before it is imported.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__version__ = "0.1.0"
