"""Full-text search: tokens, shards, the Pagefind worker and the check of its bundles."""
