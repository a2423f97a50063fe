"""Performance figures of Laurel against its targets: ``python -m bench`` (``make bench``).

Everything runs on a throw-away SQLite database in a temporary folder: a few nominations
are driven through the real process, copied in bulk to 1,000 and then 10,000, and the
task completion, the inbox, the stored instance size and the engine are measured.
"""
