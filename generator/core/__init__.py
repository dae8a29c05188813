"""Reading what staff write, once: problems, text and YAML with source lines, the schema, index
numbers, working days, the catalog, items, the project and its public set. The lowest layer."""
