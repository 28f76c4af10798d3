"""Hromada's test kit, shipped with the platform for plugin authors.

- :mod:`core.testkit.pytest_plugin`: the pytest plugin (entry point ``pytest11``) with the
  ``hromada_platform``, ``hromada_client`` and ``hromada_world`` fixtures;
- :mod:`core.testkit.world`: the test municipality, a user of every role and the calls
  made as each of them;
- :mod:`core.testkit.steps`: a service's life through the API, one step a call: screen,
  submit, decide, contract, assign, deliver, invoice, approve, pay;
- :mod:`core.testkit.rules`: rules tested as a table without a database.

Install it with the ``testkit`` extra (``pip install "hromada[testkit]"``); see
docs/plugin-guide.md, "Testing your plugin".
"""
