"""PAGE XML (placeholder)."""
