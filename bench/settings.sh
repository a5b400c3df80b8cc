# make bench: the data set and the load. Each can be overridden from the environment,
# e.g. `BENCH_DURATION=5s make bench` for a quick look.

# The school the scenarios hit, and how many students it has.
BENCH_SLUG=${BENCH_SLUG:-bench}
BENCH_STUDENTS=${BENCH_STUDENTS:-5000}
# Other schools sharing the database, and students in each.
BENCH_OTHER_SCHOOLS=${BENCH_OTHER_SCHOOLS:-50}
BENCH_OTHER_STUDENTS=${BENCH_OTHER_STUDENTS:-100}
# Courses at scale (bench/courses.sql): schools, students and enrolments in the whole
# database, and published courses per school (3 modules × 4 lessons each).
BENCH_COURSE_SCHOOLS=${BENCH_COURSE_SCHOOLS:-1000}
BENCH_COURSE_STUDENTS=${BENCH_COURSE_STUDENTS:-200000}
BENCH_ENROLMENTS=${BENCH_ENROLMENTS:-1000000}
BENCH_COURSES_PER_SCHOOL=${BENCH_COURSES_PER_SCHOOL:-5}
# pgbench's scale for the select-only reference (10 = 1,000,000 accounts rows).
BENCH_PGBENCH_SCALE=${BENCH_PGBENCH_SCALE:-10}
# Each scenario: how long, and how many connections at once.
BENCH_DURATION=${BENCH_DURATION:-15s}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}
# The owner database the benchmark creates and drops.
BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lyceum_bench}
# Keep the seeded database afterwards (1) or drop it (0).
BENCH_KEEP_DB=${BENCH_KEEP_DB:-0}

# Media: upload and process a generated 1080p clip, then stream it to concurrent players (1),
# or skip both (0).
BENCH_MEDIA=${BENCH_MEDIA:-1}
# The clip's length in seconds, and where it is kept between runs.
BENCH_CLIP_SECONDS=${BENCH_CLIP_SECONDS:-60}
BENCH_CACHE_DIR=${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lyceum-bench}
# Players streaming the processed clip at once (each streaming scenario runs BENCH_DURATION).
BENCH_PLAYERS=${BENCH_PLAYERS:-50}
# Give up on processing after this many seconds.
BENCH_PROCESS_TIMEOUT=${BENCH_PROCESS_TIMEOUT:-900}

# Email (bench/email.sh): recipients of the one email sent, and messages in flight at once.
BENCH_EMAIL_N=${BENCH_EMAIL_N:-100000}
BENCH_EMAIL_CONCURRENCY=${BENCH_EMAIL_CONCURRENCY:-80}

# Run one part only: pages, page (the published sales page), checkout, media or email (empty:
# everything).
BENCH_ONLY=${BENCH_ONLY:-}

# The load generator: oha (installed with cargo the first time) or wrk (from apt, no install
# wait; its fixed-rate runs are paced per connection, so their rate is approximate).
BENCH_TOOL=${BENCH_TOOL:-oha}
