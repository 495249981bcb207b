"""The language server: shapes as inlay hints, derivations on hover, errors as diagnostics."""
