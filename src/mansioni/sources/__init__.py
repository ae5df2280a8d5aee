"""Reading other time trackers' files: Watson, Timewarrior, Toggl Track, Clockify.

Each module reads one source's files into ``SourceEntry`` values (or ``BadRow``
for what it cannot read), and nothing else: no store, no mapping to mansioni's
clients and tasks (``domain.mapping``), no writing (``services.importing``).
"""
