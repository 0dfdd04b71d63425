"""What the public sees: figures, pages, charts, Markdown, rendering with the theme, writing output/."""
