"""Reading: files to posts (front matter, Jekyll and Hugo sites, kramdown), Markdown to
sections, and the HTML a card shows (render, media). The lowest layer but the value types."""
