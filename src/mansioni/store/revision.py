"""The schema revision this program writes; the quick path opens only stores at it.

A test checks that it is the head of the Alembic migrations shipped in the package.
"""

HEAD = "0008_invoice"
