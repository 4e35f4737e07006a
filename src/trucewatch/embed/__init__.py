"""Multilingual sentence embeddings shared by the event classifier and story fusion."""

from trucewatch.embed.encoder import (
    DIMENSIONS,
    EmbeddingStatus,
    Encoder,
    embedding_status,
    get_encoder,
    load_encoder,
)

__all__ = ["DIMENSIONS", "EmbeddingStatus", "Encoder", "embedding_status", "get_encoder", "load_encoder"]
