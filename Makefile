# Two commands on a fresh machine:
#   make demo   sync the built-in emulator's seeded orders into demo.sqlite (no account needed)
#   make test   lint, type-check and run the whole test suite on every supported Python
#               found (3.10-3.13) and once on the lowest allowed dependency versions
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: test demo lint typecheck pytest matrix dist docs bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bench,docs]'
	@touch $(STAMP)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# mypy --strict over the package, its tests, benchmarks, tools, examples and the docs' hooks
# (the venv has the bench and docs extras so those type-check); the per-module relaxations
# are written down in pyproject.toml ([[tool.mypy.overrides]]) with the reason for each.
typecheck: $(STAMP)
	$(PY) -m mypy --strict xportcn_async tests benchmarks tools examples docs

# The PostgreSQL tests need a server: `python -m tests.postgres_server run -- CMD` starts a
# throwaway one (initdb/pg_ctl in a temporary folder, installing Debian's postgresql package
# when the binaries are missing), runs CMD with XPORTCN_TEST_POSTGRES_DSN set, and stops it;
# with XPORTCN_TEST_POSTGRES_DSN already set, CMD uses that server.
WITH_POSTGRES := $(PY) -m tests.postgres_server run --

# One quick run on the venv's own interpreter, for the edit-test loop.
pytest: $(STAMP)
	@$(WITH_POSTGRES) $(PY) -m pytest -q -W error::ResourceWarning; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here" >&2; exit 1; fi; \
	exit $$rc

# The matrix (noxfile.py): one session per interpreter plus the lowest-versions one. Under CI
# (CI set) a supported interpreter that is missing fails the run instead of being skipped.
# `make test` runs the sessions two at a time (-j2: the machine has two cores and a session
# keeps about one busy); -O prints each session's output in one piece when it ends.
SESSIONS := tests-3.11 tests-3.10 tests-3.12 tests-3.13 lowest
matrix: $(addprefix session-,$(SESSIONS))

session-%: $(STAMP)
	$(VENV)/bin/nox --reuse-venv=yes -s $*

# The sdist and wheel: built, `twine check`ed, their contents checked, and the sdist's own tests
# run from the unpacked sdist (tools/check_dist.py).
dist: $(STAMP)
	$(PY) tools/check_dist.py

# The documentation site (mkdocs.yml), built with --strict into a throwaway directory: a broken
# link, a missing page or a status without a meaning (docs/hooks.py) fails it. `make docs
# SITE=site` keeps the result.
SITE ?=
docs: $(STAMP)
	@site="$${SITE:-$$(mktemp -d)}"; \
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet -d "$$site"; \
	rc=$$?; if [ -z "$(SITE)" ]; then rm -rf "$$site"; fi; exit $$rc

test: $(STAMP)
	$(MAKE) lint typecheck dist docs
	$(WITH_POSTGRES) $(MAKE) -j2 -O matrix

demo: $(STAMP)
	$(VENV)/bin/xportcn demo --db demo.sqlite

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .nox .mypy_cache .pytest_cache .ruff_cache demo.sqlite dist site
