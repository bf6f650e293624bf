"""Writing: notes to Anki rows (store), the state file that keeps review history (state), and
the package (anki, package)."""
