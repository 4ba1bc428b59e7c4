# Nights over many machines (tests/store/shards.sh): shards through GNU
# parallel against PostgreSQL, SQLite stores merged, a shard killed with -9
# and rerun, the Slurm array script's shard computation; each result equal
# to a one-machine run.  The PostgreSQL part needs SUPEROPT_TEST_PG (.ci/run
# starts a server with tests/store/pg-server); without it, it says
# "skipped" (and fails under CI=true).
#   make test-store
APT_PKGS += postgresql postgresql-client parallel qemu-system-x86 nasm python3

.PHONY: test-store
test-store: $(SUPEROPT_BIN)
	tests/store/shards.sh $(SUPEROPT_BIN)

TEST_GOALS += test-store
