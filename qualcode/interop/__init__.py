"""REFI-QDA interoperability: QDC codebooks and QDPX projects in and out.

Readers and writers work on the neutral model in model.py; the project facade
(qualcode/facade/interop.py) maps that model to and from the store.
"""
