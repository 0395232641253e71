"""The warehouse (layer 2): a DuckLake of reports, cells and findings; its migrations, the
loader, views, queries and maintenance. Imports only `xxgk.schemas`."""
