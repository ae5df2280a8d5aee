"""Every SQL statement that reads the store, in modules named for what they return.

SQL here does indexed range reads, sums and counts; the rules those figures are
judged by live in ``mansioni.domain``.
"""
