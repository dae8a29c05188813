"""The page plan: every generated page and file as plain data, made without mkdocs."""
