"""Writing items: `gongkai new` and `gongkai import` (Word documents)."""
