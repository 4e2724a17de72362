"""Everything about reaching a language model: model files, the embedded server, the client."""
