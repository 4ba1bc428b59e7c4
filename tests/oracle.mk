# make test runs the semantics oracles on a sample (all 255,000 recorded
# 80286 tests, 1,000 states per form for the host CPU and Unicorn, 25 per
# form for Z3, 20 per form for nasm and Capstone), the mutation tests, and
# the self-test that the nasm and Capstone checks catch a corrupted encoder
# and decoder, and the replay of a planted mismatch's reproducers.
TEST_GOALS += oracle-ci oracle-selftest oracle-replay-test mutation-test
