# make bench: the data set and the load. Each can be overridden from the environment,
# e.g. `BENCH_DURATION=5s make bench` for a quick look.

# The school the scenarios hit, and how many students it has.
BENCH_SLUG=${BENCH_SLUG:-bench}
BENCH_STUDENTS=${BENCH_STUDENTS:-5000}
# Other schools sharing the database, and students in each.
BENCH_OTHER_SCHOOLS=${BENCH_OTHER_SCHOOLS:-50}
BENCH_OTHER_STUDENTS=${BENCH_OTHER_STUDENTS:-100}
# Each scenario: how long, and how many connections at once.
BENCH_DURATION=${BENCH_DURATION:-15s}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}
# The owner database the benchmark creates and drops.
BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lyceum_bench}
# Keep the seeded database afterwards (1) or drop it (0).
BENCH_KEEP_DB=${BENCH_KEEP_DB:-0}
