"""Getting argument maps out (export formats) and documents in (imports)."""
