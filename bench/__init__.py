"""Benchmarks for sinorus against the floor app and Streamlit's GDP template (issue 4).

Run `make bench` or `make bench-quick`; see bench/README.md.
"""
