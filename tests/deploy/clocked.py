"""``python -m tests.deploy.clocked ARGS`` runs ``hromada ARGS`` (the real command line)
at the test session's instant: with ``HROMADA_TEST_NOW`` set (see ``tests/conftest.py``)
the process travels there first and ticks on, so the servers' and workers' "today" is
the session's; unset, it is plain ``hromada``."""

from tests.e2e.serve import session_clock

if __name__ == "__main__":
    with session_clock():
        from core.cli import main

        main()
