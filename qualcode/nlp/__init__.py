"""Language processing with spaCy: pipeline factory, sentence rules, topic shifts.

Nothing here is imported by `qualcode --help`; spaCy loads only when these modules do.
"""
