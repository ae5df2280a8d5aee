"""The full way into the store: SQLModel tables, SQLAlchemy engines, Alembic migrations.

Only commands that are not typed all day import this package: SQLAlchemy and
SQLModel take most of a second to import.
"""
