"""Stage 3, output: the comparison as JSON, a self-contained HTML report, Markdown, or a terminal summary."""
