"""The commands beside `build`: init, preview, push, and what they print (report), and the
workflow `init` writes."""
