"""The DuckDB warehouse: schema migrations, the loader, and opening the file safely."""
