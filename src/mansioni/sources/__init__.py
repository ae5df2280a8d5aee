"""Reading other time trackers' files: Watson, Timewarrior, Toggl Track, Clockify.

Each reader turns one source's files into ``SourceEntry`` values (or ``BadRow`` for
what it cannot read) and touches no store. ``mapping`` places an entry on a
mansioni client and task; ``services.importing`` writes them.
"""
