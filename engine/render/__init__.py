"""Stage 6, render: reports in JSON, Markdown, text, HTML, CSV and HURIDOCS, and the observer's skeleton and questions."""
