"""The states a task can be in, and which of them lists show."""

from __future__ import annotations

#: A task's life: on trial, kept (active), handed back to the client, archived.
STATES = ("trial", "active", "handed_back", "archived")
#: The states of a task that lists leave out unless asked for them all (``--all``).
HIDDEN_STATES = ("archived", "handed_back")
