/* End to end on corpus/hello with the built binary: shrink with its boot
 * check, patches that `git am` applies, audit (and a tampered proof it
 * rejects), and a run killed with -9 then resumed. */
#include <criterion/criterion.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include "helpers.h"

#define HELLO "corpus/hello/hello.asm"
#define CHECK "'corpus/hello/check \"$1\"'"

static void tempdir(char *out, size_t n) {
  snprintf(out, n, "/tmp/pipeline-e2eXXXXXX");
  cr_assert(mkdtemp(out));
}

static void shrink_cmd(char *cmd, size_t n, const char *dir) {
  snprintf(cmd, n,
           "%s shrink " HELLO " --check " CHECK " --window 3 --window-time 2 --budget 600"
           " --results %s/res --work %s/work --out %s/out.asm 2>&1",
           superopt_bin(), dir, dir, dir);
}

static int int_after(const char *text, const char *key) {
  const char *p = strstr(text, key);
  return p ? atoi(p + strlen(key)) : -1;
}

Test(e2e, shrink_hello_patches_audit, .timeout = 600) {
  char dir[64], cmd[2048];
  static char out[1 << 16];
  tempdir(dir, sizeof dir);
  shrink_cmd(cmd, sizeof cmd, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int accepted = int_after(out, "splices accepted ");
  cr_expect_geq(accepted, 1, "%s", out);
  const char *pb = strstr(out, "program bytes: ");
  cr_assert(pb, "%s", out);
  int before = 0, after = 0;
  sscanf(pb, "program bytes: %d -> %d", &before, &after);
  cr_expect_lt(after, before, "the program got smaller: %d -> %d", before, after);
  /* the spliced program still passes its check */
  snprintf(cmd, sizeof cmd, "nasm -f bin -o %s/out.img %s/out.asm && corpus/hello/check %s/out.img",
           dir, dir, dir);
  cr_expect_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  /* the patch series applies with git am and gives the spliced source */
  snprintf(cmd, sizeof cmd,
           "set -e; mkdir -p %s/repo/corpus/hello; cp " HELLO " %s/repo/corpus/hello/;"
           " cd %s/repo; git init -q; git add .;"
           " git -c user.name=t -c user.email=t@t commit -q -m base;"
           " git -c user.name=t -c user.email=t@t am -q %s/res/patches/*.patch;"
           " cmp corpus/hello/hello.asm %s/out.asm; git log --oneline | wc -l",
           dir, dir, dir, dir, dir);
  cr_expect_eq(sh(cmd, out, sizeof out), 0, "git am: %s", out);
  cr_expect_eq(atoi(out), accepted + 1, "one commit per accepted splice");
  /* audit: every proof and patch checks out */
  snprintf(cmd, sizeof cmd, "%s audit --results %s/res 2>&1", superopt_bin(), dir);
  cr_expect_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int p = -1, ok = -2;
  const char *a = strstr(out, "audit: ");
  cr_assert(a, "%s", out);
  sscanf(a, "audit: %d proofs, %d ok", &p, &ok);
  cr_expect(p >= accepted && p == ok, "%s", out);
  /* a proof whose candidate bytes were changed must fail the audit */
  snprintf(cmd, sizeof cmd,
           "f=$(ls %s/res/proofs/*.smt2 | head -1); "
           "sed -i 's/^; candidate bytes: \\([0-9a-f]\\)/; candidate bytes: 90\\1/' \"$f\"; "
           "%s audit --results %s/res >/dev/null 2>&1",
           dir, superopt_bin(), dir);
  cr_expect_eq(sh(cmd, out, sizeof out), 1, "a tampered proof is reported");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}

/* key -> searches for every stored search */
typedef struct {
  char key[40];
  int searches;
} row;

static int read_rows(const char *db, row *rows, int max) {
  sqlite3 *h;
  if (sqlite3_open(db, &h) != SQLITE_OK) return -1;
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt *q;
  int n = 0;
  if (sqlite3_prepare_v2(h, "SELECT key, searches FROM search", -1, &q, NULL) == SQLITE_OK) {
    while (n < max && sqlite3_step(q) == SQLITE_ROW) {
      snprintf(rows[n].key, sizeof rows[n].key, "%s", (const char *)sqlite3_column_text(q, 0));
      rows[n].searches = sqlite3_column_int(q, 1);
      n++;
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(h);
  return n;
}

static int find_row(const row *rows, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (!strcmp(rows[i].key, key)) return i;
  return -1;
}

Test(e2e, kill_9_then_resume_loses_nothing, .timeout = 900) {
  char dir[64], cmd[2048], db[128];
  static char out[1 << 16];
  tempdir(dir, sizeof dir);
  shrink_cmd(cmd, sizeof cmd, dir);
  snprintf(db, sizeof db, "%s/res/store.sqlite", dir);
  /* run 1: killed with -9 once a few searches are recorded */
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    setpgid(0, 0);
    char quiet[2200];
    snprintf(quiet, sizeof quiet, "(%s) >/dev/null 2>&1", cmd);
    execl("/bin/sh", "sh", "-c", quiet, (char *)NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  static row first[4096], rows[4096];
  int n1 = 0;
  for (int t = 0; t < 1200 && n1 < 4; t++) {
    struct timespec nap = {0, 100 * 1000 * 1000};
    nanosleep(&nap, NULL);
    if (access(db, R_OK) == 0) n1 = read_rows(db, first, 4096);
  }
  kill(-pid, SIGKILL);
  int st;
  waitpid(pid, &st, 0);
  cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "run 1 was killed mid-run");
  n1 = read_rows(db, first, 4096);
  cr_assert_geq(n1, 4, "run 1 recorded searches before the kill");
  /* run 2: completes, answering run 1's windows from the store */
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int cached = int_after(out, "from the store ");
  cr_expect_geq(cached, n1, "run 2 reused run 1's %d searches: %s", n1, out);
  int n2 = read_rows(db, rows, 4096);
  cr_expect_geq(n2, n1);
  for (int i = 0; i < n1; i++) {
    int k = find_row(rows, n2, first[i].key);
    cr_expect_geq(k, 0, "search %s kept", first[i].key);
    if (k >= 0) cr_expect_eq(rows[k].searches, 1, "search %s not repeated", first[i].key);
  }
  char patches2[8192];
  snprintf(cmd, sizeof cmd, "cd %s/res/patches && ls && cat * | md5sum", dir);
  cr_assert_eq(sh(cmd, patches2, sizeof patches2), 0);
  cr_expect(strstr(patches2, ".patch") != NULL, "run 2 accepted shrinks: %s", patches2);
  /* run 3: nothing left to search; every accepted patch is still there */
  shrink_cmd(cmd, sizeof cmd, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  cr_expect_eq(int_after(out, "searched now "), 0, "%s", out);
  int n3 = read_rows(db, rows, 4096);
  cr_expect_eq(n3, n2);
  for (int i = 0; i < n3; i++) cr_expect_eq(rows[i].searches, 1, "search %s repeated", rows[i].key);
  char patches3[8192];
  snprintf(cmd, sizeof cmd, "cd %s/res/patches && ls && cat * | md5sum", dir);
  cr_assert_eq(sh(cmd, patches3, sizeof patches3), 0);
  cr_expect_str_eq(patches3, patches2, "the same patches, byte for byte");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}

/* What the repository has committed under results/ must pass the audit. */
Test(e2e, audit_of_committed_results, .timeout = 600) {
  char cmd[512];
  static char out[1 << 16];
  snprintf(cmd, sizeof cmd, "%s audit --results results 2>&1", superopt_bin());
  cr_expect_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int p = -1, ok = -2, np = -1, pok = -2;
  const char *a = strstr(out, "audit: ");
  cr_assert(a, "%s", out);
  sscanf(a, "audit: %d proofs, %d ok", &p, &ok);
  const char *b = strstr(a + 1, "audit: ");
  cr_assert(b, "%s", out);
  sscanf(b, "audit: %d patches, %d ok", &np, &pok);
  cr_expect(p >= 0 && p == ok, "%s", out);
  cr_expect(np >= 0 && np == pok, "%s", out);
}

/* A check that refuses one splice: the batch fails, bisection finds the
 * splice at fault, rejects it with the reason and keeps the others. */
Test(e2e, failing_batch_is_bisected, .timeout = 600) {
  char dir[64], run[2048], cmd[2048];
  static char out[1 << 16];
  tempdir(dir, sizeof dir);
  snprintf(run, sizeof run,
           "%s shrink " HELLO " --check 'corpus/hello/check \"$1\" && ! grep -q lodsb \"$2\"'"
           " --window 3 --window-time 2 --results %s/res --work %s/work --out %s/out.asm 2>&1",
           superopt_bin(), dir, dir, dir);
  cr_assert_eq(sh(run, out, sizeof out), 0, "%s", out);
  cr_expect(strstr(out, "rejected") && strstr(out, "check failed"), "%s", out);
  cr_expect_geq(int_after(out, "splices accepted "), 1, "%s", out);
  /* the store remembers each rejection: a rerun never boots the same
   * splice again (it may try another window that saves as much) */
  char keys[64][16];
  int nk = 0;
  for (const char *k = strstr(out, "[key "); k && nk < 64; k = strstr(k + 1, "[key "))
    snprintf(keys[nk++], sizeof keys[0], "%.14s", k);
  cr_expect_geq(nk, 1, "rejections name their key: %s", out);
  snprintf(cmd, sizeof cmd, "grep -c lodsb %s/out.asm", dir);
  cr_expect_neq(sh(cmd, NULL, 0), 0, "the refused splice is not in the result");
  cr_assert_eq(sh(run, out, sizeof out), 0, "%s", out);
  for (int i = 0; i < nk; i++)
    cr_expect(strstr(out, keys[i]) == NULL, "%s rejected again: %s", keys[i], out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}

/* A window that ends in a conditional branch is searched with it: dec cx;
 * jnz again becomes loop again, written with the author's label, proven,
 * and the spliced program assembles to the shorter size. */
Test(e2e, closing_branch_becomes_loop_with_its_label, .timeout = 300) {
  char dir[64], cmd[4096];
  static char out[1 << 16];
  tempdir(dir, sizeof dir);
  snprintf(cmd, sizeof cmd,
           "cat > %s/loop.asm <<'X'\nbits 16\norg 0x7c00\nstart:\n  mov cx, 5\n  xor ax, ax\n"
           "again:\n  add ax, cx\n  dec cx\n  jnz again\n  mov [0x500], ax\ndone:\n  hlt\n"
           "  jmp done\nX\n"
           "%s shrink %s/loop.asm --check true --window 3 --window-time 2 --budget 120"
           " --results %s/res --work %s/work --out %s/out.asm 2>&1",
           dir, superopt_bin(), dir, dir, dir, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  /* add ax, cx stays as it was: the edit is the two lines that change */
  cr_expect(strstr(out, "accepted 8-9 (-1): dec cx; jnz again -> loop again"), "%s", out);
  cr_expect(strstr(out, "conditional branches that close a window: 1 items, 2 bytes"), "%s", out);
  snprintf(cmd, sizeof cmd, "grep -c '^ *loop again  ; superopt: [0-9a-f]*$' %s/out.asm", dir);
  cr_expect_eq(sh(cmd, out, sizeof out), 0, "the label is the author's: %s", out);
  snprintf(cmd, sizeof cmd, "nasm -f bin -o %s/a.bin %s/loop.asm && nasm -f bin -o %s/b.bin %s/out.asm"
           " && echo $(( $(stat -c %%s %s/a.bin) - $(stat -c %%s %s/b.bin) ))", dir, dir, dir, dir, dir, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  cr_expect_geq(atoi(out), 1, "shorter by %s", out);
  snprintf(cmd, sizeof cmd, "%s audit --results %s/res 2>&1 | grep '^audit: .* proofs'", superopt_bin(), dir);
  sh(cmd, out, sizeof out);
  int p = -1, ok = -2;
  sscanf(out, "audit: %d proofs, %d ok", &p, &ok);
  cr_expect(p >= 1 && p == ok, "every proof, the branch ones included, re-checks: %s", out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}

/* Windows closed by a near call or jmp: `mov bx, func; call func` becomes
 * `call bx` (bx holds the label), `jmp near start` a short jmp written with
 * the author's label; a second run reads both answers back from the store
 * (the labels' slots included) and splices the same. */
Test(e2e, closing_transfers_through_a_register_and_short, .timeout = 300) {
  char dir[64], cmd[4096];
  static char out[1 << 16], again[1 << 16];
  tempdir(dir, sizeof dir);
  snprintf(cmd, sizeof cmd,
           "cat > %s/call.asm <<'X'\nbits 16\norg 0x7c00\nstart:\n  mov ax, 1\n  mov bx, func\n"
           "  call func\n  int 0x16\n  jmp near start\nfunc:\n  add ax, bx\n  ret\nX\n"
           "%s shrink %s/call.asm --check true --window 3 --window-time 2 --budget 120"
           " --results %s/res --work %s/work --out %s/out.asm 2>&1",
           dir, superopt_bin(), dir, dir, dir, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  /* mov bx, func stays as it was: the edit is the line that changes */
  cr_expect(strstr(out, "accepted 6-6 (-1): call func -> call bx"), "%s", out);
  cr_expect(strstr(out, "transfers that close a window: 3 items, 7 bytes"), "%s", out);
  cr_expect(strstr(out, "search errors 0,") && strstr(out, "splices accepted 2, rejected 0"),
            "the jmp after the call's splice still reaches start: %s", out);
  snprintf(cmd, sizeof cmd, "grep -c '^ *jmp start' %s/out.asm", dir);
  char g[256];
  cr_expect_eq(sh(cmd, g, sizeof g), 0, "the jmp keeps the author's label: %s", out);
  snprintf(cmd, sizeof cmd,
           "%s shrink %s/call.asm --check true --window 3 --window-time 2 --budget 120"
           " --results %s/res --work %s/work2 --out %s/out2.asm 2>&1 && cmp %s/out.asm %s/out2.asm",
           superopt_bin(), dir, dir, dir, dir, dir, dir);
  cr_assert_eq(sh(cmd, again, sizeof again), 0, "the second run splices the same: %s", again);
  cr_expect(strstr(again, "search errors 0,"), "%s", again);
  cr_expect_gt(int_after(again, "from the store "), 0, "%s", again);
  snprintf(cmd, sizeof cmd, "%s audit --results %s/res 2>&1 | grep '^audit: .* proofs'", superopt_bin(), dir);
  sh(cmd, out, sizeof out);
  int p = -1, ok = -2;
  sscanf(out, "audit: %d proofs, %d ok", &p, &ok);
  cr_expect(p >= 1 && p == ok, "every proof re-checks: %s", out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}
