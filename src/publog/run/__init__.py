"""The build as a whole, and the processes that keep it warm: the kept build process and `publog serve`.

build.py runs the stages in order (load, read, assemble, plan, write) and is where to start reading;
options.py holds what a build is asked (Options), how its caller follows it (Hooks) and what it reports
(Result); session.py what a long-running process keeps between builds. Beside them: inputs.py (what a
build reads), unchanged_journal.py (the check that skips a build), lock.py, pool.py (rendering in
workers), checks.py (the plan's checks), output_folder.py (the site's folder and its kept copy),
cache.py (compiled entries on disk), loaded.py (the digest of the running code), warm.py, serve.py and
daemon.py.
"""
