"""Retrieval over the user's records: offline embeddings, token-aware chunks, a Chroma index."""
