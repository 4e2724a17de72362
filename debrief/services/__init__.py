"""Services: one per feature. Pages call these; these call prompts, rag and the LLM."""
